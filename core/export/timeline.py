"""A project as an editing timeline, written as OTIO, FCP7 XML, CMX 3600 EDL or a CSV cue sheet.

The timeline runs at the clip's frame rate: V1 holds the clip, A1 the clip's own sound,
and every pick gets its own audio track (A2, A3, ...) starting at its placement, with a
marker carrying its rank, distance and note. Every time is rounded once to a whole frame
at that rate, so in and out points land on frames in every format.

OpenTimelineIO (Pixar/ASWF) builds the timeline; its adapters write the formats:
``otio_json`` (read natively by DaVinci Resolve), ``fcp_xml`` (Final Cut Pro 7 XML, read
by Premiere Pro, Resolve and Final Cut Pro X through its XML import) and ``cmx_3600``.
Media are referenced by ``file://`` URLs (non-ASCII names percent-encoded, as those
applications expect); the CSV cue sheet keeps plain paths.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path
from xml.etree import ElementTree

import opentimelineio as otio

from core.errors import InputError, ProjectError
from core.fileio import atomic_write_text
from core.project import Pick, Project

__all__ = ["FORMATS", "build_timeline", "cue_sheet", "export_project", "media_url", "pick_frames"]

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


def pick_frames(pick: Pick, video_duration_s: float, rate: float) -> tuple[int, int, int]:
    """(placement, track in, track out) of a pick in frames, rounded once so they agree.

    An open out point (``track_out_s`` 0) runs to the end of the video, computed in frames
    (so the music ends on the clip's last frame exactly), or to the end of the track.
    """
    placement = _count(pick.placement_s, rate)
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


def build_timeline(project: Project) -> otio.schema.Timeline:
    """The project as an OTIO timeline (see the module text for the layout)."""
    video = project.video
    rate = float(video.fps) if video.fps > 0 else 25.0
    if video.duration_s <= 0:
        raise ProjectError("the project's video has no duration (analyse it before exporting)")
    name = Path(video.path).stem
    timeline = otio.schema.Timeline(name=f"MusicMatch - {name}",
                                    global_start_time=otio.opentime.RationalTime(0, rate))
    reference = otio.schema.ExternalReference(target_url=media_url(video.path),
                                              available_range=_range(0, video.duration_s, rate))
    reference.name = Path(video.path).name
    length = _frames(video.duration_s, rate)
    picture = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    picture.append(otio.schema.Clip(name=Path(video.path).name, media_reference=reference,
                                    source_range=otio.opentime.TimeRange(_frames(0, rate), length)))
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
        # The track's length when known, else at least the part used (FCP XML needs one).
        known = _count(pick.duration_s, rate) if pick.duration_s > 0 else out_f
        track_available = otio.opentime.TimeRange(otio.opentime.RationalTime(0, rate),
                                                  otio.opentime.RationalTime(max(known, out_f), rate))
        clip = otio.schema.Clip(
            name=pick.display_name,
            media_reference=_reference(pick.track_path, track_available),
            source_range=otio.opentime.TimeRange(start, duration),
        )
        clip.metadata["musicmatch"] = {"rank": pick.rank, "distance": pick.distance, "note": pick.note,
                                       "rating": pick.rating, "content_hash": pick.content_hash}
        clip.markers.append(otio.schema.Marker(
            name=_marker_text(pick),
            marked_range=otio.opentime.TimeRange(start, otio.opentime.RationalTime(0, rate)),
            color=otio.schema.MarkerColor.GREEN,
        ))
        track.append(clip)
        timeline.tracks.append(track)
    return timeline


def _timecode(frames: int, rate: float) -> str:
    return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, rate), rate)


def cue_sheet(project: Project) -> str:
    """A CSV cue sheet: one row per pick, timecodes at the video's frame rate."""
    rate = float(project.video.fps) if project.video.fps > 0 else 25.0
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["cue", "title", "artist", "file", "timeline_in", "timeline_out", "track_in", "track_out",
                     "duration", "rank", "distance", "rating", "note"])
    for number, pick in enumerate(project.picks, start=1):
        placement, track_in, track_out = pick_frames(pick, project.video.duration_s, rate)
        length = track_out - track_in
        writer.writerow([
            number, pick.title or Path(pick.track_path).stem, pick.artist, pick.track_path,
            _timecode(placement, rate), _timecode(placement + length, rate),
            _timecode(track_in, rate), _timecode(track_out, rate), _timecode(length, rate),
            pick.rank, f"{pick.distance:.4f}", pick.rating, pick.note,
        ])
    return out.getvalue()


def export_project(project: Project, fmt: str, out: str | os.PathLike[str]) -> Path:
    """Write ``project`` as ``fmt`` (``otio``, ``fcpxml``, ``edl`` or ``csv``) to ``out``, atomically."""
    key = fmt.strip().lower()
    if key not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not project.picks:
        raise ProjectError("the project has no picks to export")
    if key == "csv":
        return atomic_write_text(out, "\ufeff" + cue_sheet(project))  # BOM: spreadsheet apps then read UTF-8
    timeline = build_timeline(project)
    if key == "edl":
        text = _edl(timeline, project)
    else:
        text = otio.adapters.write_to_string(timeline, adapter_name=FORMATS[key])
        if key == "fcpxml":
            text = _with_sequence_format(text, project)
    return atomic_write_text(out, text)


def _with_sequence_format(xml: str, project: Project) -> str:
    """Fill the sequence's ``<format>`` (frame size and rate), which DaVinci Resolve reads to set
    up the timeline; the adapter leaves it empty."""
    root = ElementTree.fromstring(xml)
    rate = float(project.video.fps) if project.video.fps > 0 else 25.0
    timebase = round(rate)
    ntsc = abs(rate - timebase * 1000 / 1001) < 0.01 and abs(rate - timebase) > 0.001
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
    rate = float(project.video.fps) if project.video.fps > 0 else 25.0
    lines = [f"TITLE: {timeline.name}", "FCM: NON-DROP FRAME", ""]
    event = 0

    def add(channel: str, name: str, path: str, source: otio.opentime.TimeRange, record_in) -> None:
        nonlocal event
        event += 1
        tc = [otio.opentime.to_timecode(t, rate) for t in (
            source.start_time, source.end_time_exclusive(), record_in, record_in + source.duration)]
        lines.append(f"{event:03d}  AX       {channel:<5} C        {' '.join(tc)}")
        lines.append(f"* FROM CLIP NAME: {name}")
        lines.append(f"* SOURCE FILE: {path}")
        lines.append("")

    picture = timeline.video_tracks()[0][0]
    add("V", picture.name, project.video.path, picture.source_range, otio.opentime.RationalTime(0, rate))
    pick_tracks = [t for t in timeline.audio_tracks() if t.name != "A1" or not project.video.has_audio]
    for channel, track, pick in zip(("A", "A2"), pick_tracks, project.picks, strict=False):
        clip = next(item for item in track if isinstance(item, otio.schema.Clip))
        add(channel, clip.name, pick.track_path, clip.source_range, track.range_of_child(clip).start_time)
        lines.insert(len(lines) - 1, f"* MUSICMATCH: {_marker_text(pick)}")
    return "\n".join(lines)
