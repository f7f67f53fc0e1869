"""The parts of the ``Assistant`` facade, grouped by area; ``SurfaceBase`` holds the checks."""
