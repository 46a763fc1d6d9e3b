"""``regiotoets check``: prove a rule set consistent, statically and over the whole decision space.

Exit codes: 0 no violations (warnings allowed), 1 a violation or a static
error in the rules, 2 bad input (unknown region, bad date, missing folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.commands.common import date_option, fail, guarded, parse_day, region_options, rules_root

SHOWN_PER_INVARIANT = 5


@click.command("check")
@region_options
@date_option
@click.option("--save-counterexamples", "save_dir", type=click.Path(file_okay=False), default=None,
              help="Schrijf elk tegenvoorbeeld als voorstelbestand in deze map (voor 'regiotoets evaluate').")
@click.option("--static-only", is_flag=True, help="Alleen de statische controles, zonder de uitputtende toets.")
@guarded
def check(region, rules_dir, date_, save_dir, static_only):
    """Controleer een regelset: statisch en over de volledige beslisruimte (exit 1 bij een schending).

    Zonder --region worden alle geïnstalleerde regelsets getoetst, elke versie van elke regio.
    """
    from engine.rulebase.registry import installed

    day = parse_day(date_)
    if save_dir is not None and not Path(save_dir).is_dir():
        fail(f"--save-counterexamples: map bestaat niet / folder does not exist: {save_dir}")
    root = rules_root(rules_dir)
    # Without --region: every installed rule set, every version of every region, and every folder whose
    # ruleset.yaml does not load (it names no region).
    targets: list[tuple[str | None, Path | None]] = [(region, None)] if region else (
        [(None, i.folder) for i in installed(root)] or [(None, None)])
    failed = []
    for n, (name, folder) in enumerate(targets):
        if n:
            click.echo("\n" + "=" * 72 + "\n")
        save_to = save_dir
        if save_dir and len(targets) > 1 and folder is not None:  # counterexamples of each rule set apart
            save_to = str(Path(save_dir) / _label(folder, root))
            Path(save_to).mkdir(parents=True, exist_ok=True)
        if _check_region(name, root, day, save_to, static_only, folder):
            failed.append(name or (_label(folder, root) if folder else "?"))
    if len(targets) > 1:
        click.echo("\n" + "=" * 72)
        click.echo(f"Regelsets getoetst / rule sets checked: {len(targets)}; "
                   f"niet in orde / failed: {', '.join(failed) if failed else 'geen / none'}")
    if failed:
        sys.exit(1)


def _label(folder: Path, root: Path | None) -> str:
    """A rule set folder named by its path under the rules folder (``REGIO``, ``2026/REGIO``)."""
    from engine.rulebase.registry import default_rules_root

    base = (root or default_rules_root()).resolve()
    try:
        return folder.resolve().relative_to(base).as_posix().replace("/", "-") or folder.name
    except ValueError:
        return folder.name


def _check_region(region: str | None, root: Path | None, day, save_dir: str | None, static_only: bool,
                  folder: Path | None = None) -> bool:
    """Check the rule set of one region on ``day`` (or the one in ``folder``) and print the report; True when it
    failed."""
    from engine.verifying.check import check_folder
    from engine.verifying.enumeration import REDUCTION
    from engine.common.errors import RuleError
    from engine.rulebase.registry import choose

    if folder is None:
        try:
            folder = choose(region, day, root).folder
        except RuleError as exc:
            folder = _broken_folder(exc, region, root)
            if folder is None:
                raise
    report = check_folder(folder, day, exhaustive_run=not static_only)
    echo = click.echo
    name = report.ruleset.meta.id if report.ruleset else str(folder)
    echo(f"Regelset / rule set: {name} ({folder})")
    errors = [f for f in report.findings if f.severity == "error"]
    warnings = [f for f in report.findings if f.severity == "warning"]
    echo(f"\nStatische controle / static check: {len(errors)} fout(en) / errors, {len(warnings)} waarschuwing(en) / warnings")
    for f in report.findings:
        echo(f"  {f.render()}")
    if report.ruleset is not None and not static_only and report.invariants is not None:
        echo("\nUitputtende toets / exhaustive check")
        echo(f"  reductie / reduction: {REDUCTION}")
        echo(f"  gedekte combinaties / combinations covered: {report.raw:,}".replace(",", "."))
        echo(f"  geëvalueerd (gereduceerd) / evaluated (reduced): {report.reduced:,}".replace(",", "."))
        rate = report.evaluations / report.seconds if report.seconds else 0.0
        echo(f"  evaluaties door de regelmachine / engine evaluations: {report.evaluations} "
             f"(incl. varianten en verkleinen van tegenvoorbeelden / incl. variations and minimising)")
        if len(report.engines) == 2:
            echo(f"  regelmachines / rule engines {report.engines[0]} en {report.engines[1]}: gelijk op / agreed on "
                 f"{report.agreed} van / of {report.reduced} klassen / classes"
                 + (f"; VERSCHILLEN op / DIFFER on {len(report.disagreed)}" if report.disagreed else ""))
            for facts in report.disagreed[:SHOWN_PER_INVARIANT]:
                echo(f"      verschil bij / difference at: {_facts_text(facts)}")
        else:
            echo(f"  regelmachine / rule engine: {report.engines[0] if report.engines else '?'} (durable_rules is hier "
                 f"niet beschikbaar / not available here)")
        echo(f"  tijd / time: {report.seconds:.1f} s — {rate:.0f} evaluaties/s (evaluations/s), "
             f"{report.raw / max(report.seconds, 1e-9):.3g} gedekte combinaties/s (combinations covered/s)")
        echo("  uitkomsten / outcomes (gereduceerd / reduced | gedekt / covered):")
        for outcome, n in sorted(report.outcome_counts.items()):
            echo(f"    {outcome:<26} {n:>8} | {report.raw_outcome_counts[outcome]:,}".replace(",", "."))
        echo("  regels die nooit vuurden / rules that never fired: " + (", ".join(report.never_fired) or "geen / none"))
        echo("  invarianten / invariants (gevallen getoetst / cases checked):")
        for inv in report.invariants.invariants:
            bad = sum(1 for v in report.violations if v.invariant == inv.id)
            status = "OK" if not bad else f"{bad} SCHENDING(EN) / VIOLATION(S)"
            echo(f"    {inv.id:<28} {report.checked.get(inv.id, 0):>7}  {status}")
    if report.violations:
        echo(f"\nSchendingen / violations: {len(report.violations)}")
        shown: dict[str, int] = {}
        for n, v in enumerate(report.violations, 1):
            shown[v.invariant] = shown.get(v.invariant, 0) + 1
            if shown[v.invariant] <= SHOWN_PER_INVARIANT:
                echo(f"  [{v.invariant}] {v.message}")
                echo(f"      tegenvoorbeeld / counterexample: {_facts_text(v.facts)}")
            if save_dir:
                for path in _save(report, v, n, Path(save_dir), day):
                    if shown[v.invariant] <= SHOWN_PER_INVARIANT:
                        echo(f"      opgeslagen / saved: {path}")
        hidden = {k: c - SHOWN_PER_INVARIANT for k, c in shown.items() if c > SHOWN_PER_INVARIANT}
        for k, c in hidden.items():
            echo(f"  [{k}] en nog {c} / and {c} more" + (" (alle opgeslagen / all saved)" if save_dir else ""))
    if report.failed:
        echo("\nResultaat / result: NIET IN ORDE / FAILED")
        return True
    echo("\nResultaat / result: in orde / OK — geen schendingen / no violations")
    return False




def _broken_folder(exc, region, root):
    """The folder of a rule set that does not load, so its problems become findings instead of an abort."""
    from engine.rulebase.registry import installed

    try:
        found = [i for i in installed(root) if i.meta is None or region is None or i.meta.region == region]
    except Exception:
        return None
    return found[0].folder if len(found) == 1 else None


def _facts_text(facts: dict) -> str:
    known = [f"{p}={v}" for p, v in facts.items() if v not in ("unknown", None)]
    return ", ".join(known) or "alles onbekend / everything unknown"


def _save(report, violation, n: int, folder: Path, day) -> list[str]:
    """Write the counterexample (and, for a fact variation, its variant) as proposal files."""
    import io

    from ruamel.yaml import YAML

    from engine.commands.common import write_output
    from engine.rulebase.invariants import proposal_data

    ruleset = report.ruleset
    variants = [("", violation.facts)]
    if violation.changed:
        path, _a, b = violation.changed
        variants.append(("-na", {**violation.facts, path: b}))
    written = []
    for suffix, facts in variants:
        title = f"Tegenvoorbeeld {violation.invariant} #{n}{suffix}"
        data = proposal_data(ruleset, facts, title=title, day=day.isoformat())
        yaml = YAML()
        yaml.default_flow_style = False
        buf = io.StringIO()
        yaml.dump(data, buf)
        header = f"# {violation.invariant}: {violation.message}\n"
        target = folder / f"{violation.invariant}-{n:03d}{suffix}.yaml"
        write_output(header + buf.getvalue(), str(target))
        written.append(str(target))
    return written
