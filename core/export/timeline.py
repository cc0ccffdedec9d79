"""A project as an editing timeline, written as OTIO, FCP7 XML, CMX 3600 EDL or a CSV cue sheet.

The timeline runs at the clip's frame rate (:func:`core.export.rates.edit_rate` says how
rates no format can name, 12.5 fps or a variable rate's average, are carried): V1 holds
the clip, A1 the clip's own sound, and every pick gets its own audio track (A2, A3, ...)
starting at its placement and playing the track from its section start (``track_in_s``),
or its rendered fit from the file's start. Markers: the pick's rank, distance and note at
its start, every bar of the music on the pick's clip, and every cut of the clip on the
sequence and on V1, so an editor can snap to them. Every time is rounded once to a whole
frame at the timeline rate, so in and out points land on frames in every format.

OpenTimelineIO (Pixar/ASWF) builds the timeline; its adapters write the formats:
``otio_json`` (read natively by DaVinci Resolve), ``fcp_xml`` (Final Cut Pro 7 XML, read
by Premiere Pro, Resolve and Final Cut Pro X through its XML import) and ``cmx_3600``.
Media are referenced by ``file://`` URLs (non-ASCII names percent-encoded, as those
applications expect); the CSV cue sheet keeps plain paths.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree

import opentimelineio as otio
import soundfile

from core.errors import InputError, ProjectError
from core.export.markers import BarTimes, bar_source, bars_in_pick
from core.export.rates import edit_rate, edl_rate, is_ntsc, nominal, smpte_at_any_rate, timecode
from core.fileio import atomic_write_text, spreadsheet_safe
from core.project import Pick, Project

__all__ = ["FORMATS", "build_timeline", "cue_sheet", "export_project", "media_url", "pick_frames", "timeline_rate"]

Bars = BarTimes | Mapping[int, "list[float]"] | None
"""Bar times for the exports: a callable pick -> track seconds, a mapping pick index -> track seconds, or None."""

FORMATS = {"otio": "otio_json", "fcpxml": "fcp_xml", "edl": "cmx_3600", "csv": None}
"""Export format name -> OpenTimelineIO adapter (``None``: written here)."""


def media_url(path: str) -> str:
    """An absolute ``file://`` URL for a path (percent-encoded: Chinese names survive every format)."""
    return Path(path).expanduser().resolve().as_uri()


def _count(seconds: float, rate: float) -> int:
    """Seconds to a whole number of frames, halves rounded up (Python's round() would go to even)."""
    return int(math.floor(seconds * rate + 0.5))


def _frames(seconds: float, rate: float) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(_count(seconds, rate), rate)


def timeline_rate(project: Project) -> float:
    """The export timeline's frame rate for a project (:func:`core.export.rates.edit_rate`)."""
    return edit_rate(float(project.video.fps))


def _rendered_seconds(pick: Pick) -> float:
    """Length of a pick's rendered fit, seconds (0 when the file cannot be read)."""
    try:
        info = soundfile.info(pick.rendered_path)
    except (RuntimeError, OSError, soundfile.LibsndfileError):
        return 0.0
    return float(info.frames) / info.samplerate if info.samplerate else 0.0


def pick_frames(pick: Pick, video_duration_s: float, rate: float) -> tuple[int, int, int]:
    """(placement, media in, media out) of a pick in frames, rounded once so they agree.

    The media is the track from its section (``track_in_s`` .. ``track_out_s``), or the
    rendered fit from its start. An open out point (``track_out_s`` 0) runs to the end of
    the video, computed in frames (so the music ends on the clip's last frame exactly), or
    to the end of the track (of the rendered file).
    """
    placement = _count(pick.placement_s, rate)
    if pick.rendered_path:
        length = _count(_rendered_seconds(pick), rate)
        out = max(_count(video_duration_s, rate) - placement, 0)
        return placement, 0, min(out, length) if length > 0 else out
    track_in = _count(pick.track_in_s, rate)
    if pick.track_out_s > pick.track_in_s:
        track_out = _count(pick.track_out_s, rate)
    else:
        track_out = track_in + max(_count(video_duration_s, rate) - placement, 0)
        if pick.duration_s > 0:
            track_out = min(track_out, _count(pick.duration_s, rate))
    return placement, track_in, track_out


def _range(start_s: float, duration_s: float, rate: float) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(_frames(start_s, rate), _frames(duration_s, rate))


def _marker_text(pick: Pick) -> str:
    parts = [f"rank {pick.rank}" if pick.rank else "added by hand", f"distance {pick.distance:.4f}"]
    if pick.rating:
        parts.append(f"rating {pick.rating}/5")
    if pick.note:
        parts.append(pick.note)
    return "; ".join(parts)


def _reference(path: str, available: otio.opentime.TimeRange | None) -> otio.schema.ExternalReference:
    reference = otio.schema.ExternalReference(target_url=media_url(path), available_range=available)
    reference.name = Path(path).name  # the readable file name (the URL is percent-encoded)
    return reference


def _marker(name: str, frame: int, rate: float, color) -> otio.schema.Marker:
    return otio.schema.Marker(name=name, color=color, marked_range=otio.opentime.TimeRange(
        otio.opentime.RationalTime(frame, rate), otio.opentime.RationalTime(0, rate)))


def cut_times(project: Project) -> list[float]:
    """The clip's cuts: the start of every shot after the first, seconds."""
    return [float(start) for start, _ in project.video.shots[1:] if 0 < start < project.video.duration_s]


def pick_bars(project: Project, pick: Pick, bars: BarTimes, rate: float) -> list[tuple[int, int]]:
    """``(media frame, timeline frame)`` of every bar a pick plays (empty when its bars are unknown).

    A bar's media frame is its time in the file the pick plays (the track, or the rendered
    fit) rounded once; the timeline frame follows from the clip's placement, so every
    format marks the same frames.
    """
    placement_f, in_f, out_f = pick_frames(pick, project.video.duration_s, rate)
    marks = []
    for at in bars_in_pick(bars(pick), pick, in_f / rate - 0.5 / rate, out_f / rate):
        frame = _count(at, rate)
        if in_f <= frame < out_f:
            marks.append((frame, placement_f + frame - in_f))
    return marks


def build_timeline(project: Project, *, bars: Bars = None) -> otio.schema.Timeline:
    """The project as an OTIO timeline (see the module text for the layout).

    ``bars`` gives each pick's bar starts in track seconds (see :data:`Bars`); without it
    the timeline carries cut markers only.
    """
    video = project.video
    rate = timeline_rate(project)
    bar_times = bar_source(bars)
    if hasattr(bar_times, "bind"):
        bar_times.bind(project.picks)
    if video.duration_s <= 0 or not math.isfinite(video.duration_s):
        raise ProjectError("the project's video has no duration (analyse it before exporting)")
    name = Path(video.path).stem
    timeline = otio.schema.Timeline(name=f"MusicMatch - {name}",
                                    global_start_time=otio.opentime.RationalTime(0, rate))
    reference = otio.schema.ExternalReference(target_url=media_url(video.path),
                                              available_range=_range(0, video.duration_s, rate))
    reference.name = Path(video.path).name
    length = _frames(video.duration_s, rate)
    picture = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    shown = otio.schema.Clip(name=Path(video.path).name, media_reference=reference,
                             source_range=otio.opentime.TimeRange(_frames(0, rate), length))
    for number, cut in enumerate(cut_times(project), start=2):
        # On the sequence (the ruler in Premiere and Resolve) and on the clip (moves with it).
        timeline.tracks.markers.append(_marker(f"cut {number}", _count(cut, rate), rate,
                                               otio.schema.MarkerColor.RED))
        shown.markers.append(_marker(f"cut {number}", _count(cut, rate), rate, otio.schema.MarkerColor.RED))
    picture.append(shown)
    timeline.tracks.append(picture)
    if video.has_audio:
        sound = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
        sound.append(otio.schema.Clip(name=Path(video.path).name, media_reference=reference.clone(),
                                      source_range=otio.opentime.TimeRange(_frames(0, rate), length)))
        timeline.tracks.append(sound)
    for number, pick in enumerate(project.picks, start=2 if video.has_audio else 1):
        placement_f, in_f, out_f = pick_frames(pick, video.duration_s, rate)
        if out_f <= in_f:
            raise ProjectError(f"pick {pick.display_name}: its in and out points leave nothing to place")
        start = otio.opentime.RationalTime(in_f, rate)
        duration = otio.opentime.RationalTime(out_f - in_f, rate)
        track = otio.schema.Track(name=f"A{number}", kind=otio.schema.TrackKind.Audio)
        if placement_f > 0:
            track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(
                otio.opentime.RationalTime(0, rate), otio.opentime.RationalTime(placement_f, rate))))
        # The media's length when known, else at least the part used (FCP XML needs one).
        if pick.rendered_path:
            known = _count(_rendered_seconds(pick), rate) or out_f
        else:
            known = _count(pick.duration_s, rate) if pick.duration_s > 0 else out_f
        track_available = otio.opentime.TimeRange(otio.opentime.RationalTime(0, rate),
                                                  otio.opentime.RationalTime(max(known, out_f), rate))
        media = pick.rendered_path or pick.track_path
        clip = otio.schema.Clip(
            name=pick.display_name + (" (fit)" if pick.rendered_path else ""),
            media_reference=_reference(media, track_available),
            source_range=otio.opentime.TimeRange(start, duration),
        )
        clip.metadata["musicmatch"] = {"rank": pick.rank, "distance": pick.distance, "note": pick.note,
                                       "rating": pick.rating, "content_hash": pick.content_hash,
                                       "track": pick.track_path, "section_start_s": pick.track_in_s,
                                       "rendered": pick.rendered_path or None}
        clip.markers.append(_marker(_marker_text(pick), in_f, rate, otio.schema.MarkerColor.GREEN))
        # Bar markers in the clip's media time: placement on the timeline maps to in_f.
        for number, (frame, _) in enumerate(pick_bars(project, pick, bar_times, rate), start=1):
            clip.markers.append(_marker(f"bar {number}", frame, rate, otio.schema.MarkerColor.CYAN))
        track.append(clip)
        timeline.tracks.append(track)
    return timeline


def cue_sheet(project: Project, *, bars: Bars = None) -> str:
    """A CSV cue sheet: one row per pick.

    Timecodes count frames at the timeline rate (:func:`timeline_rate`); the same times
    follow in seconds and as frame numbers of the clip's own rate, then the bars the cue
    plays and the clip's cuts under it (timeline seconds, ``;``-separated).
    """
    rate = timeline_rate(project)
    clip_rate = float(project.video.fps)
    bar_times = bar_source(bars)
    if hasattr(bar_times, "bind"):
        bar_times.bind(project.picks)
    cuts = cut_times(project)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["cue", "title", "artist", "file", "timeline_in", "timeline_out", "track_in", "track_out",
                     "duration", "rank", "distance", "rating", "note", "timeline_in_s", "timeline_out_s",
                     "track_in_s", "track_out_s", "duration_s", "timeline_in_frame", "timeline_out_frame", "fps",
                     "rendered_file", "bars_s", "cuts_s"])
    for number, pick in enumerate(project.picks, start=1):
        placement, media_in, media_out = pick_frames(pick, project.video.duration_s, rate)
        length = media_out - media_in
        track_in = pick.track_in_s if pick.rendered_path else media_in / rate
        track_out = track_in + length / rate if pick.rendered_path else media_out / rate
        start_s, end_s = placement / rate, (placement + length) / rate
        under = [c for c in cuts if start_s <= c < end_s]
        writer.writerow([
            # Text cells an editor types or a file names can start with = + - @: never formulas (OWASP).
            number, spreadsheet_safe(pick.title or Path(pick.track_path).stem), spreadsheet_safe(pick.artist),
            spreadsheet_safe(pick.track_path),
            timecode(placement, rate), timecode(placement + length, rate),
            timecode(_count(track_in, rate), rate), timecode(_count(track_out, rate), rate), timecode(length, rate),
            pick.rank, f"{pick.distance:.4f}", pick.rating, spreadsheet_safe(pick.note),
            f"{start_s:.3f}", f"{end_s:.3f}", f"{track_in:.3f}", f"{track_out:.3f}", f"{length / rate:.3f}",
            _count(start_s, clip_rate), _count(end_s, clip_rate), f"{clip_rate:g}",
            spreadsheet_safe(pick.rendered_path or ""),
            ";".join(f"{at / rate:.3f}" for _, at in pick_bars(project, pick, bar_times, rate)),
            ";".join(f"{c:.3f}" for c in under),
        ])
    return out.getvalue()


def export_project(project: Project, fmt: str, out: str | os.PathLike[str], *, bars: Bars = None) -> Path:
    """Write ``project`` as ``fmt`` (``otio``, ``fcpxml``, ``edl`` or ``csv``) to ``out``, atomically.

    ``bars`` gives the picks' bar times (see :data:`Bars`); without it only the clip's cuts
    are marked.
    """
    key = fmt.strip().lower()
    if key not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not project.picks:
        raise ProjectError("the project has no picks to export")
    if key == "csv":
        # BOM: spreadsheet apps then read UTF-8
        return atomic_write_text(out, "\ufeff" + cue_sheet(project, bars=bars))
    timeline = build_timeline(project, bars=bars)
    if key == "edl":
        text = _edl(timeline, project)
    else:
        adapter = otio.adapters.from_name(FORMATS[key])
        guard = smpte_at_any_rate(adapter.module()) if key == "fcpxml" else contextlib.nullcontext()
        with guard:
            text = otio.adapters.write_to_string(timeline, adapter_name=FORMATS[key])
        if key == "fcpxml":
            text = _with_sequence_format(text, project)
    return atomic_write_text(out, text)


def _with_sequence_format(xml: str, project: Project) -> str:
    """Fill the sequence's ``<format>`` (frame size and rate), which DaVinci Resolve reads to set
    up the timeline; the adapter leaves it empty."""
    root = ElementTree.fromstring(xml)
    rate = timeline_rate(project)
    timebase, ntsc = nominal(rate), is_ntsc(rate)
    # The adapter writes every <rate> as ceil(rate) and an ntsc flag for any fraction; the
    # timeline rate is always whole or NTSC, so set both from it everywhere.
    for rate_e in root.iter("rate"):
        for child, text in (("timebase", str(timebase)), ("ntsc", "TRUE" if ntsc else "FALSE")):
            element = rate_e.find(child)
            if element is not None:
                element.text = text
    for fmt in root.iterfind(".//sequence/media/video/format"):
        fmt.clear()
        characteristics = ElementTree.SubElement(fmt, "samplecharacteristics")
        rate_e = ElementTree.SubElement(characteristics, "rate")
        ElementTree.SubElement(rate_e, "timebase").text = str(timebase)
        ElementTree.SubElement(rate_e, "ntsc").text = "TRUE" if ntsc else "FALSE"
        for tag, value in (("width", project.video.width or 1920), ("height", project.video.height or 1080),
                           ("anamorphic", "FALSE"), ("pixelaspectratio", "square"), ("fielddominance", "none")):
            ElementTree.SubElement(characteristics, tag).text = str(value)
    ElementTree.indent(root, space="    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xmeml>\n' + ElementTree.tostring(root, encoding="unicode")


def _edl(timeline: otio.schema.Timeline, project: Project) -> str:
    """CMX 3600: the picture on V and the picks on the format's two audio channels, A and A2.

    Written here rather than by the ``cmx_3600`` adapter, whose writer emits only the
    first track. The clip's own sound stays with the picture in the editor's bin; more
    than two picks do not fit the format, which is an error naming the formats that hold
    them all, never a silently shorter list. File names go in ``FROM CLIP NAME`` and
    ``SOURCE FILE`` comments (reel ``AX``, the convention for file-based media).
    """
    if len(project.picks) > 2:
        raise ProjectError(f"an EDL holds two audio tracks and the project has {len(project.picks)} picks; "
                           "export OTIO or FCP XML, or keep two picks")
    rate = timeline_rate(project)
    tc_rate = edl_rate(rate)
    lines = [f"TITLE: {timeline.name}", "FCM: NON-DROP FRAME", ""]
    event = 0

    def tc(time: otio.opentime.RationalTime) -> str:
        return timecode(_count(time.value / time.rate, tc_rate), tc_rate)

    def add(channel: str, name: str, path: str, source: otio.opentime.TimeRange, record_in) -> None:
        nonlocal event
        event += 1
        codes = [tc(t) for t in (source.start_time, source.end_time_exclusive(), record_in,
                                  record_in + source.duration)]
        lines.append(f"{event:03d}  AX       {channel:<5} C        {' '.join(codes)}")
        lines.append(f"* FROM CLIP NAME: {name}")
        lines.append(f"* SOURCE FILE: {path}")
        lines.append("")

    picture = timeline.video_tracks()[0][0]
    add("V", picture.name, project.video.path, picture.source_range, otio.opentime.RationalTime(0, rate))
    if abs(tc_rate - rate) > 1e-9:  # a comment of the first event: readers refuse text before it
        lines.insert(len(lines) - 1, f"* MUSICMATCH: the clip runs at {rate:g} fps; timecode counts {tc_rate:g} fps")
    for marker in timeline.tracks.markers:
        lines.insert(len(lines) - 1, f"* MARKER {tc(marker.marked_range.start_time)} {marker.name}")
    pick_tracks = [t for t in timeline.audio_tracks() if t.name != "A1" or not project.video.has_audio]
    for channel, track, pick in zip(("A", "A2"), pick_tracks, project.picks, strict=False):
        clip = next(item for item in track if isinstance(item, otio.schema.Clip))
        record_in = track.range_of_child(clip).start_time
        add(channel, clip.name, pick.rendered_path or pick.track_path, clip.source_range, record_in)
        lines.insert(len(lines) - 1, f"* MUSICMATCH: {_marker_text(pick)}")
        for marker in clip.markers:
            if marker.name.startswith("bar "):
                at = record_in + (marker.marked_range.start_time - clip.source_range.start_time)
                lines.insert(len(lines) - 1, f"* MARKER {tc(at)} {marker.name} ({clip.name})")
    return "\n".join(lines)
