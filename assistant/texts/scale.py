"""German copy of the scale-out path: the Ray import (``assistant import FILE --ray ADDRESS``)."""

from __future__ import annotations

__all__ = ["RAY_BAD_ADDRESS", "RAY_EMBED", "RAY_READY", "RAY_UNREACHABLE"]

RAY_UNREACHABLE = (
    "Ray-Cluster unter {address} nicht erreichbar ({reason}). Prüfen Sie die Adresse "
    "(local, auto oder ray://host:port) und ob der Cluster läuft (ray status); ohne --ray "
    "importiert das Programm auf diesem Rechner."
)
RAY_BAD_ADDRESS = (
    "Ray-Adresse „{address}“ ungültig: erlaubt sind local (startet Ray auf diesem Rechner), "
    "auto (der laufende Cluster dieses Rechners) oder ray://host:port."
)
RAY_READY = "Ray-Cluster unter {address}: {workers} Worker mit je einem Modell.\n"
RAY_EMBED = "Ray"  # the progress bar of the embedding phase
