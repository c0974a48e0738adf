"""The study's two networks in PyTorch, with the parameter names genrelab uses.

Shared by the dev-only scripts bench/reference.py and test/fixtures/make_fixtures.py.
"""
import torch.nn as nn
import torch.nn.functional as F


class Generator(nn.Module):
    """Conv1d(1->64, k 200, s 100) + ReLU -> biGRU(256) -> last step -> Linear(512->1000)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 64, 200, stride=100)
        self.gru = nn.GRU(64, 256, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(512, 1000)

    def forward(self, x):
        h = F.relu(self.conv(x.unsqueeze(1))).transpose(1, 2)
        out, _ = self.gru(h)
        return self.fc(out[:, -1])


class Block(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.conv = nn.Conv2d(i, o, 3, padding=1)
        self.bn = nn.BatchNorm2d(o)

    def forward(self, x):
        return F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)


class Classifier(nn.Module):
    """5 x [Conv 3x3 -> BN -> ReLU -> MaxPool 2] (16..256 channels) -> Dropout -> Linear, on 128 x frames."""

    def __init__(self, frames=128, dropout=0.5):
        super().__init__()
        chans = [1, 16, 32, 64, 128, 256]
        self.blocks = nn.Sequential(*[Block(chans[i], chans[i + 1]) for i in range(5)])
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(256 * 4 * (frames // 32), 10)

    def forward(self, x):
        return self.fc(self.dropout(self.blocks(x).flatten(1)))
