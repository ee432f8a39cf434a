namespace Cirt.Grains.Common;

/// <summary>
/// Caller input quoted back in an error message, cut to a readable length: error messages travel
/// in HTTP/2 headers, and a 30,000-character value must not come back 30,000 characters long.
/// </summary>
public static class Echo
{
    public const int MaxLength = 80;

    public static string Of(string value) =>
        value.Length <= MaxLength ? value : string.Concat(value.AsSpan(0, MaxLength), "…");
}
