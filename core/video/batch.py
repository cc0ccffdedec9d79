"""The per-frame colour and change signals of a batch of frames, in torch (for the GPU).

:func:`core.video.signals.colour_signals` and :func:`~core.video.signals.content_change`
measure one frame at a time with OpenCV, the fastest way on a CPU. With a CUDA device the
same numbers are computed here for a whole batch of frames at once: the frames go to the
GPU as one uint8 tensor and only six numbers per frame come back. The formulas follow
OpenCV's 8-bit conversions (sRGB to CIE L* with D65 white, and the HSV hexcone with hue
in 2-degree steps), so the two paths agree to within the rounding of OpenCV's 8-bit
intermediates; ``tests/core/test_video_batch.py`` states and checks the tolerance.

Edge density (Canny), optical flow and faces stay on OpenCV: they are sequential
algorithms with no batched torch equivalent that gives the same numbers.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.errors import InputError

if TYPE_CHECKING:
    import torch

__all__ = ["ColourBatch", "resolve_device"]

_WARM_HUE_RAD = math.radians(30.0)


class _CpuDevice:
    """Stands for ``torch.device("cpu")`` where torch is not loaded (only ``type`` is read)."""

    type = "cpu"

    def __str__(self) -> str:
        return "cpu"

    def __eq__(self, other: object) -> bool:
        return str(other) == "cpu"

    def __hash__(self) -> int:
        return hash("cpu")


_CPU = _CpuDevice()


def _nvidia_driver_present() -> bool:
    """Whether an NVIDIA driver is installed, checked without importing torch (about 190 MB and a
    second or two): on a machine without one, ``auto`` means the CPU and torch is never loaded."""
    if sys.platform.startswith("linux"):
        return Path("/proc/driver/nvidia/version").exists()
    if sys.platform == "win32":
        return (Path(os.environ.get("SYSTEMROOT", r"C:\Windows")) / "System32" / "nvcuda.dll").exists()
    return False  # macOS: no CUDA


def resolve_device(name: str) -> torch.device:
    """``auto`` (CUDA when present, else CPU), ``cpu`` or ``cuda``; :class:`InputError` for CUDA without one."""
    choice = (name or "auto").strip().lower()
    if choice == "auto":
        if "torch" not in sys.modules and not _nvidia_driver_present():
            return _CPU
        import torch

        return torch.device("cuda") if torch.cuda.is_available() else _CPU
    if choice == "cpu":
        return _CPU
    if choice.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise InputError("--device cuda: no CUDA device is available on this machine (use auto or cpu)")
        return torch.device(choice)
    raise InputError(f"--device must be auto, cpu or cuda, not {name!r}")


def _srgb_to_linear(c: torch.Tensor) -> torch.Tensor:
    import torch

    return torch.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


class ColourBatch:
    """Colour statistics and content change for batches of BGR uint8 frames on one device.

    Call :meth:`measure` with consecutive batches of one clip: the change of a batch's first
    frame is measured against the previous batch's last frame.
    """

    def __init__(self, device: torch.device | str = "cpu") -> None:
        import torch

        self.device = torch.device(str(device))
        self._previous_hsv: torch.Tensor | None = None
        self._previous_lightness: float | None = None

    def measure(self, frames: list[np.ndarray]) -> np.ndarray:
        """Per-frame ``(lightness, saturation, warmth, contrast, colourfulness, change, lightness_jump)``.

        Shape ``(len(frames), 7)``, float64, the same quantities and units as
        :class:`~core.video.signals.FrameSignals`.
        """
        import torch

        if not frames:
            return np.zeros((0, 7))
        bgr = torch.from_numpy(np.stack(frames)).to(self.device, non_blocking=True).float()
        b, g, r = bgr[..., 0], bgr[..., 1], bgr[..., 2]

        # CIE L* (D65): OpenCV's 8-bit path linearises sRGB, takes Y, and rounds L*·255/100.
        y = (0.212671 * _srgb_to_linear(r / 255) + 0.715160 * _srgb_to_linear(g / 255)
             + 0.072169 * _srgb_to_linear(b / 255))
        f = torch.where(y > 0.008856, y.clamp(min=1e-12) ** (1 / 3), 7.787 * y + 16 / 116)
        big_l = torch.where(y > 0.008856, 116 * f - 16, 903.3 * y)
        lightness = torch.round(big_l * 2.55) / 255.0  # the 8-bit value OpenCV stores, as a fraction

        # HSV as OpenCV's 8-bit conversion: V = max, S = 255·(V - min)/V, H in 0..180 (2° steps).
        v, _ = bgr.max(dim=-1)
        low, _ = bgr.min(dim=-1)
        spread = v - low
        s8 = torch.where(v > 0, torch.round(255 * spread / v.clamp(min=1)), torch.zeros_like(v))
        safe = spread.clamp(min=1e-6)
        hue_deg = torch.where(
            v == r, 60 * (g - b) / safe,
            torch.where(v == g, 120 + 60 * (b - r) / safe, 240 + 60 * (r - g) / safe),
        )
        hue_deg = torch.where(spread > 0, hue_deg, torch.zeros_like(hue_deg))
        hue_deg = torch.where(hue_deg < 0, hue_deg + 360, hue_deg)
        h8 = torch.round(hue_deg / 2) % 180
        sat = s8 / 255.0

        n = bgr.shape[0]
        flat = (n, -1)
        sat_sum = sat.reshape(flat).sum(dim=1)
        warm = (sat * torch.cos(torch.deg2rad(h8 * 2) - _WARM_HUE_RAD)).reshape(flat).sum(dim=1)
        warmth = torch.where(sat_sum > 1e-6, warm / sat_sum.clamp(min=1e-6), torch.zeros_like(warm))

        rg, yb = r - g, 0.5 * (r + g) - b
        rg, yb = rg.reshape(flat), yb.reshape(flat)
        colourfulness = (torch.sqrt(rg.var(dim=1, unbiased=False) + yb.var(dim=1, unbiased=False))
                         + 0.3 * torch.sqrt(rg.mean(dim=1) ** 2 + yb.mean(dim=1) ** 2)) / 100

        l_flat = lightness.reshape(flat)
        mean_l = l_flat.mean(dim=1)
        contrast = l_flat.std(dim=1, unbiased=False)

        hsv = torch.stack([h8, s8, v], dim=-1)
        previous = self._previous_hsv if self._previous_hsv is not None else hsv[:1]
        before = torch.cat([previous, hsv[:-1]], dim=0)
        diff = (hsv - before).abs()
        hue_diff = torch.minimum(diff[..., 0], 180 - diff[..., 0]) * (255.0 / 90.0)
        change = (hue_diff.reshape(flat).mean(dim=1) + diff[..., 1].reshape(flat).mean(dim=1)
                  + diff[..., 2].reshape(flat).mean(dim=1)) / (3 * 255.0)

        out = torch.stack([mean_l, sat.reshape(flat).mean(dim=1), warmth, contrast, colourfulness, change],
                          dim=1).double().cpu().numpy()
        lights = out[:, 0]
        jumps = np.abs(np.diff(np.concatenate([[self._previous_lightness
                                                if self._previous_lightness is not None else lights[0]],
                                               lights])))
        if self._previous_hsv is None:
            out[0, 5] = 0.0  # the clip's first frame has nothing before it
        self._previous_hsv = hsv[-1:].clone()
        self._previous_lightness = float(lights[-1])
        return np.column_stack([out, jumps])
