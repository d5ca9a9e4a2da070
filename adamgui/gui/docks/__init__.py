"""The docked panels beside the views: the parameter panel, the run table, the step inspector, the plots, the
maps, the data, the lesson, the network and the race. Each listens to scenes and frames and asks by signals."""
