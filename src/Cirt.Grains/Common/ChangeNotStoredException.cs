namespace Cirt.Grains.Common;

/// <summary>
/// A change was decided but storage failed to write it: nothing was stored, and the grain still
/// holds (or reloads) the version it had before. The caller may safely send the change again.
/// </summary>
[GenerateSerializer]
[Alias("cirt.ChangeNotStoredException")]
public sealed class ChangeNotStoredException : Exception
{
    public ChangeNotStoredException(string message)
        : base(message)
    {
    }
}
