"""Tools for measuring the app: the benchmark, the soak test and the start-up hook they use."""
