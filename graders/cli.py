"""The `grade` command: parse arguments, call the library, render, exit with the contract's code."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from graders.core.formats import FORMATS, render
from graders.core.report import Report
from graders.errors import ExitCode, GradersError



class DefaultGroup(click.Group):
    """`grade HW [SUBMISSION]` is the default command: a first word that is no command grades."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["grade", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="graders")
def main() -> None:
    """Grade deep-learning homework: sandboxed tests, reference runs, symbolic derivations.

    Example: grade hw03 path/to/submission
    """


def _exit_for(report: Report, fail_under: float | None) -> int:
    if report.status != "graded":
        return ExitCode.NOT_GRADED
    if fail_under is not None and report.score < fail_under:
        return ExitCode.BELOW_THRESHOLD
    return ExitCode.OK


def _emit(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@main.command("grade", hidden=True)
@click.argument("assignment")
@click.argument("submission", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here.")
@click.option("--public-only", is_flag=True, default=None, help="Run only the public tests (default when hidden suites are absent).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), help="Time limit for the whole submission, in seconds.")
@click.option("--fail-under", type=float, help="Exit 1 when the score is below this.")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The instructor's own data file, for assignments that take one (hw04: the course's CSV).")
def grade_command(assignment: str, submission: Path, fmt: str, output: Path | None, public_only: bool | None,
                  device: str, timeout: float | None, fail_under: float | None, data: Path | None) -> None:
    """Grade SUBMISSION (a folder, .py, .ipynb or .zip; default: this folder) for ASSIGNMENT.

    Example: grade hw03 my_hw03.zip --format json -o report.json

    Example: grade hw04 submission/ --data 手机价格预测.csv
    """
    from graders.core.sandbox import Template
    from graders.core.spec import load_assignment

    spec = load_assignment(assignment)
    if data is not None:
        from graders.core.dataset import check_data

        data = check_data(spec, data)  # a usage error before any worker starts
    with Template() as template:  # start the warm template first: it imports torch while we do
        from graders.core.grade import grade_submission

        report = grade_submission(spec, submission, public_only=public_only, device=device,
                                  time_limit_s=timeout, template=template, data=data)
    color = fmt == "text" and output is None and sys.stdout.isatty()
    _emit(render(report, fmt, color=color), output)
    sys.exit(_exit_for(report, fail_under))


@main.command("list")
def list_command() -> None:
    """List the assignments of this course with their points.

    Example: grade list
    """
    from graders.core.spec import list_assignments

    for spec in list_assignments():
        parts = ", ".join(f"{p.name} {p.points:g}" for p in spec.parts)
        click.echo(f"{spec.id}  {spec.title}  ({spec.max_score:g} points: {parts})")


@main.command("reference")
@click.argument("assignment")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True)
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The instructor's own data file, for assignments that take one (hw04: the course's CSV).")
def reference_command(assignment: str, device: str, data: Path | None) -> None:
    """Re-run the reference solution and record golden outputs with a manifest.

    Example: grade reference hw03 --device cuda
    """
    from graders.core.dataset import check_data
    from graders.core.grade import resolve_device
    from graders.core.reference import record
    from graders.core.spec import load_assignment

    spec = load_assignment(assignment)
    data = check_data(spec, data) if data is not None else None
    manifest = record(spec, device=resolve_device(device), data=data)
    click.echo(f"recorded {len(manifest['cases'])} reference cases for {spec.id} on {manifest['device']} "
               f"(torch {manifest['torch']}) in {spec.reference_dir}")
    for key, figures in manifest.get("summary", {}).items():
        if isinstance(figures, dict) and "accuracy_min" in figures:
            click.echo(f"  {key}: accuracy {figures['accuracy_min']:g}..{figures['accuracy_max']:g} "
                       f"over {len(figures['runs'])} seeds")


@main.command("check")
@click.argument("assignment")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The instructor's own data file, for assignments that take one (hw04: the course's CSV).")
def check_command(assignment: str, data: Path | None) -> None:
    """Self-check an assignment: reference full marks, stubs zero, every sample caught.

    Example: grade check hw03
    """
    from graders.core.dataset import check_data
    from graders.core.selfcheck import run_checks
    from graders.core.spec import load_assignment

    spec = load_assignment(assignment)
    checks = run_checks(spec, data=check_data(spec, data) if data is not None else None)
    for check in checks:
        mark = click.style("ok  ", fg="green") if check.ok else click.style("FAIL", fg="red")
        click.echo(f"{mark} {check.name:<40} {check.detail}")
    failed = [c for c in checks if not c.ok]
    click.echo(f"{len(checks) - len(failed)}/{len(checks)} checks passed")
    sys.exit(ExitCode.BELOW_THRESHOLD if failed else ExitCode.OK)


@main.command("batch")
@click.argument("assignment")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--output", "-o", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), help="Parallel graders (default: number of cores).")
@click.option("--layout", type=click.Choice(["auto", "canvas", "moodle", "blackboard", "flat"]), default="auto",
              show_default=True)
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV of students (id, name): those without a submission appear as missing.")
@click.option("--resume/--force", default=True, show_default=True,
              help="Reuse reports cached in OUTDIR (resume after a crash) or regrade everything.")
def batch_command(assignment: str, inputs: tuple[Path, ...], outdir: Path, workers: int | None, layout: str,
                  roster: Path | None, resume: bool) -> None:
    """Grade every submission of an LMS download into a gradebook, feedback files and a summary.

    Example: grade batch hw03 canvas_download.zip -o out/ --roster roster.csv
    """
    from graders.core.batch.api import grade_batch
    from graders.core.batch.progress import BatchProgress

    with BatchProgress() as bar:
        result = grade_batch(assignment, list(inputs), outdir, workers=workers, layout=layout, roster=roster,
                             force=not resume, progress=bar.update)
    click.echo(f"{len(result.rows)} rows in {outdir / 'gradebook.csv'} ({result.graded_now} graded now, "
               f"{result.from_cache} from cache) in {result.duration_s:g} s")
    click.echo(result.reconciliation)
    sys.exit(ExitCode.OK if result.reconciled else ExitCode.NOT_GRADED)


@main.command("dist")
@click.argument("assignment")
@click.option("--output", "-o", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="A new folder for the bundle.")
@click.option("--zip", "make_zip", is_flag=True, help="Also write OUTPUT.zip.")
def dist_command(assignment: str, out: Path, make_zip: bool) -> None:
    """Write the student bundle: stubs, public tests, text, the grader's wheel, CI files.

    The bundle is scanned for hidden material before anything is kept.

    Example: grade dist hw03 -o /tmp/hw03-bundle --zip
    """
    from graders.core.dist import build_bundle
    from graders.core.spec import load_assignment

    path = build_bundle(load_assignment(assignment), out, make_zip=make_zip)
    click.echo(f"bundle written to {path} (scanned: no hidden material)")


@main.command("gradescope")
@click.argument("assignment")
@click.option("--output", "-o", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def gradescope_command(assignment: str, out: Path) -> None:
    """Write a Gradescope autograder zip (setup.sh, run_autograder, the course with its hidden suites).

    Example: grade gradescope hw03 -o autograder.zip
    """
    from graders.core.dist import build_autograder
    from graders.core.spec import load_assignment

    click.echo(f"autograder written to {build_autograder(load_assignment(assignment), out)}")


def run() -> None:
    """Entry point: GradersError -> its message and exit code, never a traceback.

    Exits with os._exit after flushing: torch's interpreter teardown costs most
    of a second and there is nothing left to clean up."""
    code = _run()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _run() -> int:
    try:
        result = main.main(standalone_mode=False)
        return result if isinstance(result, int) else 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except GradersError as exc:
        click.echo(f"error: {exc}", err=True)
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
