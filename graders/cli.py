"""The `grade` command: parse arguments, call the library, render, exit with the contract's code."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from graders.core.formats import FORMATS
from graders.core.formats import render as render_report
from graders.core.report import Report
from graders.errors import BatchInterrupted, ExitCode, GradersError
from graders.i18n import N_, Renderer, _, from_data, render
from graders.translated_help import (TranslatedCommand, TranslatedGroup, cli_lang, install_click_messages,
                                     remember_lang)

install_click_messages()  # click's own words ("Usage:", "Error: ...") in the command line's language



class DefaultGroup(TranslatedGroup):
    """`grade HW [SUBMISSION]` is the default command: a first word that is no command grades."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        remember_lang(ctx, args)
        lead = args[:2] if args[:1] == ["--lang"] else args[:1] if args[:1] and args[0].startswith("--lang=") else []
        rest = args[len(lead):]
        if rest and rest[0] not in self.commands and not rest[0].startswith("-"):
            rest = ["grade", *rest]
        return super().parse_args(ctx, [*lead, *rest])


class DefaultCommand(TranslatedCommand):
    """The default command: its usage line reads `grade [OPTIONS] ASSIGNMENT`, as it is typed, not `grade grade`."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = ctx.parent.command_path if ctx.parent is not None else ctx.command_path
        formatter.write_usage(path, " ".join(self.collect_usage_pieces(ctx)))


def lang_option(func: Callable[..., None]) -> Callable[..., None]:
    """`--lang zh|en`: the language of messages, hints and help (default: the locale, else English).

    Its value is read from the whole command line when parsing starts (translated_help.cli_lang),
    so help and usage errors are in that language too; the option validates it and documents it."""
    return click.option("--lang", type=click.Choice(["zh", "zh_CN", "en"]), expose_value=False,
                        help=N_("Language of messages and hints: zh or en (default: the locale)."))(func)


def echo(message: str, err: bool = False) -> None:
    """Print a message in the command line's language."""
    click.echo(render(message, cli_lang()), err=err)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("""Grade deep-learning homework: sandboxed tests, reference runs, symbolic derivations.

    Example: grade hw03 path/to/submission
    """))
@click.version_option(package_name="graders", help=N_("Show the version and exit."))
@lang_option
def main() -> None:
    """The command group; a first word that is no command grades."""


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (a Chinese character takes two)."""
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))


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


@main.command("grade", cls=DefaultCommand, hidden=True, help=N_("""Grade SUBMISSION (a folder, .py, .ipynb or .zip; default: this folder) for ASSIGNMENT.

    Example: grade hw03 my_hw03.zip --format json -o report.json
    """))
@click.argument("assignment")
@click.argument("submission", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help=N_("Write the report here."))
@click.option("--public-only", is_flag=True, default=None, help=N_("Run only the public tests (default when hidden suites are absent)."))
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), help=N_("Time limit for the whole submission, in seconds."))
@click.option("--fail-under", type=float, help=N_("Exit 1 when the score is below this."))
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("The instructor's own data file, for assignments that take one (hw04: the course's CSV)."))
@click.option("--server/--no-server", "use_server", default=True, show_default=True,
              help=N_("Use the warm grading server when one is running (`grade server start`)."))
@lang_option
def grade_command(assignment: str, submission: Path, fmt: str, output: Path | None, public_only: bool | None,
                  device: str, timeout: float | None, fail_under: float | None, data: Path | None,
                  use_server: bool) -> None:
    options = {"public_only": public_only, "device": device, "time_limit_s": timeout,
               "data": str(data) if data else None}
    report = _grade_via_server(assignment, submission, options) if use_server else None
    if report is None:
        report = _grade_here(assignment, submission, options)
    color = fmt == "text" and output is None and sys.stdout.isatty()
    _emit(render_report(report, fmt, cli_lang(), color=color), output)
    sys.exit(_exit_for(report, fail_under))


def _grade_via_server(assignment: str, submission: Path, options: dict) -> Report | None:
    """The report from a running warm server, or None when there is none (grade here then)."""
    from graders.core import server

    try:
        reply = server.remote_grade(assignment, submission, **options)
    except server.ServerUnavailable:
        return None
    if "error" in reply:
        error = GradersError(from_data(reply["error"]["message"]))
        error.exit_code = ExitCode(reply["error"]["exit_code"])
        raise error
    return Report.from_dict(reply["report"])


def _grade_here(assignment: str, submission: Path, options: dict) -> Report:
    from graders.core.checks.symbolic_answers import start_symbolic
    from graders.core.grader import Grader
    from graders.core.spec import load_assignment

    # A trusted child checks the derivations (sympy, lark) on the other core while this process imports
    # torch; the template is forked from this process right after that import (one import for both),
    # before the assignment (hidden material) is read here; it finishes its imports while we grade.
    early = start_symbolic(assignment, submission, options.get("public_only")) if hasattr(os, "fork") else None
    with Grader(fork=True).start() as grader:
        spec = load_assignment(assignment, near=submission)
        if options.get("data") is not None:
            from graders.core.dataset import check_data

            check_data(spec, options["data"])  # a usage error before any worker runs
        return grader.grade(spec, submission, early=early, **options)


@main.command("render", help=N_("""Render a report saved with `--format json` again: another format or language, no regrading.

    Example: grade render report.json --lang zh --format markdown
    """))
@click.argument("report_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help=N_("Write the report here."))
@click.option("--public-report", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("With --format gradescope: a --public-only report whose checks are shown at once."))
@lang_option
def render_command(report_file: Path, fmt: str, output: Path | None, public_report: Path | None) -> None:
    from graders.core.report import read_report
    from graders.core.spec import load_assignment
    from graders.errors import UnknownAssignment

    report = read_report(report_file)
    try:
        load_assignment(report.assignment)  # its catalogs: hidden hints read in the chosen language
    except UnknownAssignment:
        pass  # the engine's messages still translate; an assignment's own stay in English
    if public_report is not None and fmt == "gradescope":
        from graders.core.formats.gradescope import render_with_public

        _emit(render_with_public(report, read_report(public_report), Renderer(cli_lang())), output)
        return
    _emit(render_report(report, fmt, cli_lang(), color=fmt == "text" and output is None and sys.stdout.isatty()),
          output)


@main.group("server", cls=TranslatedGroup, help=N_("""The warm grading server: keeps torch imported so `grade HW` answers in about a second.

    Example: grade server start
    """))
def server_group() -> None:
    """The `grade server` commands."""


@server_group.command("start", help=N_("Start the server in the background (or report the one already running)."))
@click.option("--idle", type=click.FloatRange(min=1), default=15.0, show_default=True,
              help=N_("Stop after this many minutes without a request."))
@lang_option
def server_start(idle: float) -> None:
    from graders.core import server

    try:
        info = server.start(idle_s=idle * 60)
    except server.ServerUnavailable as exc:
        raise GradersError(_("could not start the grading server: {reason}").format(reason=exc)) from exc
    echo(_("grading server ready (pid {pid}); `grade HW` now uses it; it stops after {minutes} idle minutes "
                 "or with `grade server stop`").format(pid=info["pid"], minutes=f"{info['idle_s'] / 60:g}"))


@server_group.command("stop", help=N_("Stop the running server."))
@lang_option
def server_stop() -> None:
    from graders.core import server

    echo(_("grading server stopped") if server.stop() else _("no grading server was running"))


@server_group.command("status", help=N_("Say whether a server is running, and since when."))
@lang_option
def server_status() -> None:
    import time

    from graders.core import server

    info = server.status()
    if not info:
        echo(_("no grading server is running"))
        sys.exit(ExitCode.NO_SERVER)
    fresh = _("current") if info["fingerprint"] == server.engine_fingerprint() else _("stale (engine code changed)")
    echo(_("grading server pid {pid}, up {seconds} s, {served} submissions graded, engine {fresh}").format(
        pid=info["pid"], seconds=f"{time.time() - info['started']:.0f}", served=info["served"], fresh=fresh))


@main.command("list", help=N_("""List the assignments of this course with their points.

    Example: grade list
    """))
@lang_option
def list_command() -> None:
    from graders.core.spec import list_assignments

    for spec in list_assignments():
        parts = ", ".join(f"{p.name} {p.points:g}" for p in spec.parts)
        echo(_("{id}  {title}  ({points} points: {parts})").format(
            id=spec.id, title=_(spec.title), points=f"{spec.max_score:g}", parts=parts))


@main.command("reference", help=N_("""Re-run the reference solution and record golden outputs with a manifest.

    With --scheduler the run is one task on that Dask cluster; --device cuda sends it to a
    worker started with --resources GPU=1.

    Example: grade reference hw03 --device cuda --scheduler tcp://gpu-box:8786
    """))
@click.argument("assignment")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True)
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("The instructor's own data file, for assignments that take one (hw04: the course's CSV)."))
@click.option("--scheduler", envvar="GRADERS_SCHEDULER", metavar="tcp://HOST:8786",
              help=N_("Run the reference on this Dask cluster (env GRADERS_SCHEDULER); cuda: on a GPU=1 worker."))
@lang_option
def reference_command(assignment: str, device: str, data: Path | None, scheduler: str | None) -> None:
    from graders.core.dataset import check_data
    from graders.core.spec import load_assignment

    spec = load_assignment(assignment)
    data = check_data(spec, data) if data is not None else None
    manifest = _record(spec, device, data, scheduler)
    echo(_("recorded {count} reference cases for {assignment} on {device} (torch {torch}) in {folder}").format(
        count=len(manifest["cases"]), assignment=spec.id, device=manifest["device"], torch=manifest["torch"],
        folder=spec.reference_dir))
    for key, figures in manifest.get("summary", {}).items():
        if isinstance(figures, dict) and "accuracy_min" in figures:
            echo(_("  {key}: accuracy {low}..{high} over {n} seeds").format(
                key=key, low=f"{figures['accuracy_min']:g}", high=f"{figures['accuracy_max']:g}",
                n=len(figures["runs"])))


def _record(spec: Any, device: str, data: Path | None, scheduler: str | None) -> dict[str, Any]:
    """The reference run here, or as one task on the Dask cluster at `scheduler` (its worker named)."""
    from graders.core.environment import resolve_device
    from graders.core.reference import record

    if not scheduler:
        return record(spec, device=resolve_device(device), data=data)
    from graders.core.batch.dask_reference import record_on_dask

    if data is not None:
        raise GradersError(_("--data cannot be used with --scheduler: the file is on this machine, not on the "
                             "Dask workers"))
    manifest, worker = record_on_dask(spec, scheduler, device=device)
    echo(_("the reference ran on Dask worker {worker}").format(worker=worker))
    return manifest


@main.command("check", help=N_("""Self-check an assignment: reference full marks, stubs zero, every sample caught.

    Example: grade check hw03
    """))
@click.argument("assignment")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("The instructor's own data file, for assignments that take one (hw04: the course's CSV)."))
@lang_option
def check_command(assignment: str, data: Path | None) -> None:
    from graders.core.dataset import check_data
    from graders.core.selfcheck import run_checks
    from graders.core.spec import load_assignment

    spec = load_assignment(assignment)
    checks = run_checks(spec, data=check_data(spec, data) if data is not None else None)
    lang = cli_lang()
    for check in checks:
        mark = click.style(pad(render(_("ok"), lang), 4), fg="green") if check.ok else \
            click.style(pad(render(_("FAIL"), lang), 4), fg="red")
        click.echo(f"{mark} {pad(render(check.name, lang), 40)} {render(check.detail, lang)}")
    failed = [c for c in checks if not c.ok]
    echo(_("{passed}/{total} checks passed").format(passed=len(checks) - len(failed), total=len(checks)))
    sys.exit(ExitCode.CHECKS_FAILED if failed else ExitCode.OK)


@main.command("new", help=N_("""Create an assignment that passes `grade check` at once: a minimal one, or a copy of another.

    It writes graders/HW, exercises/HW, reference/HW and submissions/HW; docs/authoring.md explains each file.

    Example: grade new hw06 --title "Batch normalisation"
    """))
@click.argument("assignment")
@click.option("--title", help=N_("Its title (default: the template's, or the copied assignment's)."))
@click.option("--from", "source", metavar="HW", help=N_("Copy this assignment instead, renaming every id and catalog."))
@lang_option
def new_command(assignment: str, title: str | None, source: str | None) -> None:
    from graders.core.authoring import new_assignment

    created = new_assignment(assignment, title=title, source=source)
    echo(_("created {id} in {folders} ({cases} golden cases); next: grade check {id}").format(
        id=created.id, folders=", ".join(str(f) for f in created.folders), cases=created.cases))
    for problem in created.untranslated:
        echo(_("to translate: {problem}").format(problem=problem))


@main.command("batch", help=N_("""Grade every submission of an LMS download into a gradebook, feedback files and a summary.

    Example: grade batch hw03 canvas_download.zip -o out/ --roster roster.csv
    """))
@click.argument("assignment")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--output", "-o", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), help=N_("Parallel graders (default: number of cores)."))
@click.option("--layout", type=click.Choice(["auto", "canvas", "moodle", "blackboard", "flat"]), default="auto",
              show_default=True)
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("CSV of students (id, name): those without a submission appear as missing."))
@click.option("--resume/--force", default=True, show_default=True,
              help=N_("Reuse reports cached in OUTDIR (resume after a crash) or regrade everything."))
@click.option("--similarity", is_flag=True, help=N_("Then find copied work across the batch (as `grade similar`)."))
@click.option("--export", "--lms", "exports", multiple=True, type=click.Choice(["csv", "canvas", "moodle", "blackboard"]),
              help=N_("Also write an LMS grade import file (OUTDIR/<lms>_import.csv); may be repeated."))
@click.option("--lms-column", default=None, help=N_("The assignment's column name in the LMS (default: the assignment id)."))
@click.option("--lms-id", default="", help=N_("The LMS's id of that column (Canvas assignment id, Blackboard column id)."))
@click.option("--missing-as-zero", is_flag=True, help=N_("Give missing and rejected entries 0 in LMS files (default: blank)."))
@click.option("--due", help=N_("Due date and time, e.g. 2026-12-26T22:00+08:00 (a time without zone is local); "
                               "default: assignment.toml [late] due."))
@click.option("--late-penalty", help=N_("Penalty per started day or hour late, of the maximum score: 10%/day or "
                                        "2%/hour (default: [late] penalty, else 0%/day)."))
@click.option("--grace", help=N_("Lateness forgiven, e.g. 15min (default: [late] grace, else 0min)."))
@click.option("--late-cap", help=N_("The most a late penalty can take, e.g. 50% (default: [late] cap, else 100%)."))
@click.option("--extensions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("CSV of extensions: a student column and a due column (a date, or extra time such as +2d)."))
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("The instructor's data file, for assignments that take one (hw04)."))
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="cpu", show_default=True,
              help=N_("Device the submissions run on; cuda tasks go to Dask workers started with --resources GPU=1."))
@click.option("--scheduler", envvar="GRADERS_SCHEDULER", metavar="tcp://HOST:8786",
              help=N_("Grade on this Dask cluster instead of local processes (env GRADERS_SCHEDULER; "
                      "pip install 'graders[dask]')."))
@click.option("--timeout", type=click.FloatRange(min=1), help=N_("Time limit for each submission, in seconds."))
@click.option("--public-only", is_flag=True, default=None, help=N_("Run only the public tests."))
@click.option("--verbose", "-v", is_flag=True, help=N_("Show the batch log (OUTDIR/batch.log) as it is written."))
@lang_option
def batch_command(assignment: str, inputs: tuple[Path, ...], outdir: Path, workers: int | None, layout: str,
                  roster: Path | None, resume: bool, similarity: bool, scheduler: str | None, **options: Any) -> None:
    from graders.core.batch.pipeline import grade_batch
    from graders.core.batch.progress import BatchProgress

    lang = cli_lang()
    batch_options = _batch_options(assignment, options)
    if similarity:  # first, so the dashboard the batch writes links OUTDIR/similarity/index.html
        _similar(assignment, list(inputs), outdir, layout=layout)
    try:
        with BatchProgress(lang) as bar:
            result = grade_batch(assignment, list(inputs), outdir, workers=workers, layout=layout, roster=roster,
                                 force=not resume, progress=bar.update, lang=lang, options=batch_options,
                                 scheduler=scheduler)
    except KeyboardInterrupt:
        raise BatchInterrupted(_("interrupted: the submissions graded so far are kept in {outdir}; run the same "
                                 "command again to grade only the rest").format(outdir=outdir)) from None
    echo(_("{rows} rows in {path} ({now} graded now, {cached} from cache) in {seconds} s").format(
        rows=len(result.rows), path=outdir / "gradebook.csv", now=result.graded_now, cached=result.from_cache,
        seconds=f"{result.duration_s:g}"))
    echo(result.reconciliation)
    sys.exit(ExitCode.OK if result.reconciled else ExitCode.NOT_GRADED)


def _batch_options(assignment: str, o: dict[str, Any]) -> Any:
    """BatchOptions from the command line (bad dates, penalties or files: a usage error naming them)."""
    from graders.core.batch.adjust import Policy
    from graders.core.batch.finish import BatchOptions
    from graders.core.batch.late import policy_from
    from graders.core.batch.lms import Column
    from graders.core.batch.times import read_extensions
    from graders.core.spec import load_assignment

    late = policy_from(load_assignment(assignment).late, due=o["due"], penalty=o["late_penalty"], grace=o["grace"],
                       cap=o["late_cap"])
    policy = Policy(late, read_extensions(o["extensions"]) if o["extensions"] else {}, tuple(o["exports"]),
                    Column(o["lms_column"] or assignment, o["lms_id"]), o["missing_as_zero"])
    return BatchOptions(o["public_only"], o["device"], o["timeout"], o["data"], policy, o["verbose"])


def _similar(assignment: str, inputs: list[Path], outdir: Path, *, layout: str, against: Path | None = None,
             threshold: float = 0.4, all_pairs: bool = False) -> None:
    from graders.core.formats.safe import plain
    from graders.core.similarity import find_similar

    result = find_similar(assignment, inputs, outdir, against=against, threshold=threshold, all_pairs=all_pairs,
                          layout=layout)
    echo(_("{flagged} of {scored} pairs flagged among {count} submissions in {seconds} s: {path}").format(
        flagged=len(result.flagged), scored=result.scored, count=result.submissions,
        seconds=f"{result.duration_s:g}", path=outdir / "similarity.csv"))
    for skipped in result.skipped:
        echo(_("not compared: {entry} ({reason})").format(entry=plain(skipped.entry), reason=plain(render(skipped.reason, cli_lang()))))


@main.command("similar", help=N_("""Find copied work across a batch: pairs scored by the rare code they share.

    Starter code and code most of the cohort shares do not count. Writes similarity.csv
    and a side-by-side page per flagged pair under OUTDIR/similarity/.

    Example: grade similar hw03 canvas_download.zip -o out/ --against last_year/
    """))
@click.argument("assignment")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--output", "-o", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--against", type=click.Path(exists=True, path_type=Path),
              help=N_("Earlier cohorts' submissions to compare with (a folder or download)."))
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.4, show_default=True,
              help=N_("Score from which a pair is flagged."))
@click.option("--all-pairs", is_flag=True, help=N_("Write every scored pair to the CSV, not only flagged ones."))
@click.option("--layout", type=click.Choice(["auto", "canvas", "moodle", "blackboard", "flat"]), default="auto",
              show_default=True)
@lang_option
def similar_command(assignment: str, inputs: tuple[Path, ...], outdir: Path, against: Path | None,
                    threshold: float, all_pairs: bool, layout: str) -> None:
    _similar(assignment, list(inputs), outdir, against=against, threshold=threshold, all_pairs=all_pairs,
             layout=layout)


@main.command("dist", help=N_("""Write the student bundle: stubs, public tests, text, the grader's wheel, CI files.

    The bundle is scanned for hidden material before anything is kept.

    Example: grade dist hw03 -o /tmp/hw03-bundle.zip --zip
    """))
@click.argument("assignment")
@click.option("--output", "-o", "out", required=True, type=click.Path(path_type=Path),
              help=N_("A new folder for the bundle (with --zip: the zip file)."))
@click.option("--zip", "make_zip", is_flag=True, help=N_("Write only a zip (one top folder inside) at OUTPUT."))
@click.option("--force", is_flag=True, help=N_("Replace an earlier bundle at OUTPUT."))
@lang_option
def dist_command(assignment: str, out: Path, make_zip: bool, force: bool) -> None:
    from graders.core.dist import build_bundle
    from graders.core.spec import load_assignment

    path = build_bundle(load_assignment(assignment), out, make_zip=make_zip, force=force)
    echo(_("bundle written to {path} (scanned: no hidden material)").format(path=path))


@main.command("gradescope", help=N_("""Write a Gradescope autograder zip (setup.sh, run_autograder, the course with its hidden suites).

    Example: grade gradescope hw03 -o autograder.zip --lang zh
    """))
@click.argument("assignment")
@click.option("--output", "-o", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@lang_option
def gradescope_command(assignment: str, out: Path) -> None:
    from graders.core.dist import build_autograder
    from graders.core.spec import load_assignment

    path = build_autograder(load_assignment(assignment), out, lang=cli_lang())  # --lang: the students' language
    echo(_("autograder written to {path}").format(path=path))


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
        echo(_("error: {message}").format(message=exc.message), err=True)
        return int(exc.exit_code)
    except click.exceptions.Abort:
        echo(_("aborted"), err=True)
        return int(ExitCode.INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
