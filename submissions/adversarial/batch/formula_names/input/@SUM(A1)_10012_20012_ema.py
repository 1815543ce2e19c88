"""A stand-in submission: only its file name matters to this corpus entry."""


def ema(values, beta=0.9):
    return values
