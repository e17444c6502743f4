"""Lead images of the demo articles, drawn with Pillow when the demo is loaded (so they are ours to use).

Each is a landscape of hills under a sky, its colours, hills, sun and river chosen from the article's slug,
so that loading the demo again draws the same pictures (stored once, see images.processing).
"""

import io
import math
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 675
SKIES = {
    "a morning": ((122, 178, 226), (236, 222, 190)),
    "an evening": ((64, 52, 120), (246, 160, 96)),
    "a grey": ((120, 130, 140), (200, 204, 208)),
    "a summer": ((40, 120, 210), (170, 215, 245)),
}
HILLS = {
    "green": [(64, 120, 70), (44, 96, 58), (28, 70, 44)],
    "brown": [(150, 120, 80), (120, 92, 60), (88, 66, 44)],
    "blue-grey": [(110, 124, 150), (84, 98, 126), (58, 70, 98)],
}
RIVER = (70, 130, 180)


def demo_picture(seed):
    """A JPEG landscape for ``seed`` and the alt text that describes it."""
    chance = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    sky_name, hills_name = chance.choice(list(SKIES)), chance.choice(list(HILLS))
    with_river = chance.random() < 0.5
    picture = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(picture)
    top, bottom = SKIES[sky_name]
    for y in range(HEIGHT):
        share = y / HEIGHT
        draw.line(
            [(0, y), (WIDTH, y)], fill=tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        )
    sun_x, sun_y = chance.randint(150, WIDTH - 150), chance.randint(90, 260)
    draw.ellipse([sun_x - 60, sun_y - 60, sun_x + 60, sun_y + 60], fill=(255, 236, 180))
    for layer, colour in enumerate(HILLS[hills_name]):
        base = HEIGHT * (0.45 + 0.15 * layer)
        waves = [(chance.uniform(0.002, 0.008), chance.uniform(0, 6.3), chance.uniform(20, 60)) for _ in range(3)]
        outline = [
            (x, base - sum(amp * math.sin(freq * x + phase) for freq, phase, amp in waves))
            for x in range(0, WIDTH + 20, 20)
        ]
        draw.polygon([(0, HEIGHT), *outline, (WIDTH, HEIGHT)], fill=colour)
    if with_river:
        start = chance.randint(WIDTH // 3, 2 * WIDTH // 3)
        draw.polygon(
            [(start - 8, HEIGHT * 0.72), (start + 8, HEIGHT * 0.72), (start + 260, HEIGHT), (start - 140, HEIGHT)],
            fill=RIVER,
        )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    river = ", a river winding towards the viewer" if with_river else ""
    return buffer, f"Illustration: {hills_name} hills under {sky_name} sky, the sun above them{river}"
