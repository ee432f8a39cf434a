namespace Cirt.Console.Infrastructure;

/// <summary>The command line asks for something that cannot be done; the message says why.</summary>
public sealed class UsageException(string message) : Exception(message);
