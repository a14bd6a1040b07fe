using System.Runtime.CompilerServices;

// The shim protocol parsers are internal; the unit tests exercise them directly.
[assembly: InternalsVisibleTo("Berth.Tests")]
