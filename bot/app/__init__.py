"""The program: settings, the command line and the offline console."""
