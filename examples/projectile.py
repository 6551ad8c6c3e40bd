"""A differentiable simulation: aim a projectile with air drag through the whole trajectory.

The flight is integrated step by step (semi-implicit Euler, quadratic drag) in a plain
Python ``while`` loop that runs until the projectile is below ground; the landing point is
interpolated between the last two steps. ``fad.grad`` differentiates the range with
respect to the launch angle through every step. Two uses:

* the angle of maximum range by gradient ascent (below 45 degrees, because of drag);
* the angle that lands on a target, by Newton's method on ``range(angle) - target``.

Writes ``projectile.png`` (the trajectories and the range as a function of angle).

    python examples/projectile.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np

G, DRAG, SPEED = 9.81, 0.02, 30.0  # m/s^2, 1/m, m/s


def trajectory(angle, dt):
    """Positions (list of (x, y)) from launch until just below ground."""
    x, y = 0.0, 0.0
    vx, vy = SPEED * np.cos(angle), SPEED * np.sin(angle)
    path = [(x, y)]
    while y >= 0.0 or len(path) == 1:  # Python control flow on the value: fine under grad
        speed = np.sqrt(vx**2 + vy**2)
        vx = vx - dt * DRAG * speed * vx
        vy = vy - dt * (G + DRAG * speed * vy)
        x, y = x + dt * vx, y + dt * vy
        path.append((x, y))
    return path


def landing(angle, dt):
    (x0, y0), (x1, y1) = trajectory(angle, dt)[-2:]
    return x0 + (x1 - x0) * y0 / (y0 - y1)  # where the last step crosses y = 0


def main():
    args = parse_args(__doc__.splitlines()[0])
    dt = 0.02 if args.quick else 0.002
    drange = fad.value_and_grad(landing)

    angle = 0.3
    for _ in range(10 if args.quick else 15):  # gradient ascent on the range
        r, g = drange(angle, dt)
        angle = angle + 0.01 * g
    best, best_range = angle, landing(angle, dt)
    assert abs(g) < 0.5, g  # converged: d range / d angle is ~0
    print(f"maximum range {best_range:.2f} m at {onp.degrees(best):.2f} degrees (45 without drag)")

    target, angle, aims = 40.0, 0.2, []
    for _ in range(6):  # Newton on range(angle) = target, derivative from fad.grad
        r, g = drange(angle, dt)
        aims.append(angle)
        angle = angle - (r - target) / g
    hit = landing(angle, dt)
    print(f"to land at {target} m: launch at {onp.degrees(angle):.3f} degrees (lands at {hit:.6f} m)")
    assert abs(hit - target) < 1e-6 and onp.degrees(best) < 45

    plt = pyplot()
    if plt is None:
        return no_plot("projectile.png")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.6))
    for k, a in enumerate(aims):
        p = onp.array(trajectory(a, dt), dtype=float)
        a1.plot(p[:, 0], p[:, 1], color="C0", alpha=0.3 + 0.7 * k / len(aims))
    p = onp.array(trajectory(best, dt), dtype=float)
    a1.plot(p[:, 0], p[:, 1], "C1--", label=f"max range, {onp.degrees(best):.1f} deg")
    a1.plot([target], [0], "rx", ms=10, label="target")
    a1.set(xlabel="x (m)", ylabel="y (m)", title="Newton iterations toward the target", ylim=(0, None))
    a1.legend()
    angles = onp.linspace(0.05, 1.5, 15 if args.quick else 60)
    a2.plot(onp.degrees(angles), [landing(a, dt) for a in angles])
    a2.axvline(onp.degrees(best), color="C1", ls="--")
    a2.set(xlabel="launch angle (degrees)", ylabel="range (m)", title="range(angle), optimum by fad.grad")
    save(fig, args.out, "projectile.png")


if __name__ == "__main__":
    main()
