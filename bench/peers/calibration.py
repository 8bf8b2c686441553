#!/usr/bin/env python3
"""Calibration of a linker's probabilities: for each (record, best candidate) pair, the band
its probability falls in, and the share of the pairs in each band that are true links.

A probability is calibrated when the share true in a band lies inside the band. Shared by
peers.py (vetrecon's matches.csv) and splink_link.py (Splink's match_probability) so both
tools are banded the same way. Pairs under the lowest band are not counted.
"""

# Half-open bands [lo, hi), except the last, which includes 1.0.
BANDS = [(0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.0)]


def band_of(p):
    for i, (lo, hi) in enumerate(BANDS):
        if lo <= p < hi or (hi == 1.0 and p == 1.0):
            return i
    return None


def calibrate(pairs):
    """pairs: iterable of (probability, is_true_link). Returns [[pairs, true], ...] per band."""
    out = [[0, 0] for _ in BANDS]
    for p, correct in pairs:
        i = band_of(p)
        if i is not None:
            out[i][0] += 1
            out[i][1] += int(bool(correct))
    return out


def label(i):
    lo, hi = BANDS[i]
    return f"{lo}-{hi}"


if __name__ == "__main__":
    # Known answers for the edges: each bound belongs to the band above it, and 1.0 to the top.
    assert [band_of(p) for p in (0.49, 0.5, 0.6, 0.9499, 0.95, 0.99, 1.0, 1.01)] == \
        [None, 0, 1, 4, 5, 6, 6, None]
    assert calibrate([(0.55, True), (0.56, False), (1.0, True), (0.2, True)]) == \
        [[2, 1], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [1, 1]]
    assert [label(i) for i in range(len(BANDS))][4:] == ["0.9-0.95", "0.95-0.99", "0.99-1.0"]
    print("calibration.py: ok")
