namespace Cirt.Grains.Common;

/// <summary>A domain rule refused an operation. Crosses grain boundaries intact.</summary>
[GenerateSerializer]
[Alias("cirt.CirtException")]
public sealed class CirtException : Exception
{
    public CirtException(CirtErrorKind kind, string message, string? field = null)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    /// <summary>What kind of refusal this is.</summary>
    [Id(0)]
    public CirtErrorKind Kind { get; private set; }

    /// <summary>The request field at fault, when there is one.</summary>
    [Id(1)]
    public string? Field { get; private set; }

    public static CirtException NotFound(string what, string id) =>
        new(CirtErrorKind.NotFound, $"{what} '{id}' was not found.");

    public static CirtException Conflict(string what, string id, long expected, long actual) =>
        new(CirtErrorKind.Conflict,
            $"{what} '{id}' was changed by someone else: expected version {expected}, it is now at version {actual}. Reload it and try again.",
            "expected_version");
}
