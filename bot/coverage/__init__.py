"""UPCALL's coverage windows: the engine, the shift-change notices, /agora and /escala."""
