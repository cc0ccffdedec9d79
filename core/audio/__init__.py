"""Music analysis: decoding, signals, tempo and beats, and the 10 music descriptors."""
