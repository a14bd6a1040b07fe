// berth drives terminals and signals the Linux way (termios, SIGWINCH); it targets Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
