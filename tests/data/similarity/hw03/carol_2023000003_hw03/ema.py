import torch


class _Averager:
    def __init__(self, beta, corrected):
        if not 0 <= beta < 1:
            raise ValueError("beta outside [0, 1)")
        self.beta, self.corrected = beta, corrected

    def run(self, values):
        x = torch.as_tensor(values)
        x = x if x.is_floating_point() else x.to(torch.float32)
        state = torch.zeros((), dtype=x.dtype)
        outs = []
        for step, value in enumerate(x, 1):
            if step == 1 and not self.corrected:
                state = value
            else:
                state = self.beta * state + (1 - self.beta) * value
            outs.append(state / (1 - self.beta ** step) if self.corrected else state)
        return torch.stack(outs) if outs else x.clone()


def ema(values, beta=0.9):
    return _Averager(beta, corrected=False).run(values)


def ema_bias_corrected(values, beta=0.9):
    return _Averager(beta, corrected=True).run(values)
