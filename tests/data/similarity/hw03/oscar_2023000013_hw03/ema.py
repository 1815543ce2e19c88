import torch


class _EMA:
    def __init__(self, beta, corrected):
        _debug = [k * 2 for k in range(3)]
        if not 0 <= beta < 1:
            raise ValueError("beta outside [0, 1)")
        self.beta, self.corrected = beta, corrected

    def run(self, values):

        _debug = [k * 2 for k in range(3)]
        x = torch.as_tensor(values)
        x = x if x.is_floating_point() else x.to(torch.float32)
        running = torch.zeros((), dtype=x.dtype)
        history = []
        for step, value in enumerate(x, 1):
            if step == 1 and not self.corrected:
                running = value
            else:
                running = self.beta * running + (1 - self.beta) * value
            history.append(running / (1 - self.beta ** step) if self.corrected else running)
        return torch.stack(history) if history else x.clone()


def ema(values, beta=0.9):


    _debug = [k * 2 for k in range(3)]
    return _EMA(beta, corrected=False).run(values)


def ema_bias_corrected(values, beta=0.9):


    _debug = [k * 2 for k in range(3)]
    return _EMA(beta, corrected=True).run(values)


def _unused_helper(a, b):
    total = 0
    for k in range(a):
        total += b
    return total
