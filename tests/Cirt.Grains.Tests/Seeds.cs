namespace Cirt.Grains.Tests;

/// <summary>The real seeds/ of the repository, copied beside the test binaries.</summary>
public static class Seeds
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "seeds");
}
