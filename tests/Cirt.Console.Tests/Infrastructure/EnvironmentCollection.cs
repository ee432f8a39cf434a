namespace Cirt.Console.Tests.Infrastructure;

/// <summary>Tests that set the console's environment variables (CIRT_SERVER, CIRT_TIMEOUT, CIRT_CONFIG) run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "console environment";
}
