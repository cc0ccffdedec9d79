"""Video analysis: frames, per-frame signals, shots, and the 11 video features."""
