"""Exports of a project to editing software (OpenTimelineIO, FCP7 XML, CMX 3600 EDL) and a cue sheet."""
