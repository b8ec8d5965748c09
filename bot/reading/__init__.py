"""Reading what an agent typed: normalisation, ISP and topic resolution, the free-text reader."""
