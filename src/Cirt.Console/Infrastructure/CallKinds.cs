namespace Cirt.Console.Infrastructure;

/// <summary>Which calls only read: sending one again changes nothing, so it may always be retried.</summary>
public static class CallKinds
{
    private static readonly string[] ReadPrefixes = ["List", "Get", "WhoAmI", "Watch", "Export", "Follow"];

    /// <summary>Whether the RPC named <paramref name="methodName"/> (e.g. ListIncidents) only reads.</summary>
    public static bool IsRead(string methodName) =>
        ReadPrefixes.Any(prefix => methodName.StartsWith(prefix, StringComparison.Ordinal)
                                   && (methodName.Length == prefix.Length || char.IsUpper(methodName[prefix.Length])));
}
