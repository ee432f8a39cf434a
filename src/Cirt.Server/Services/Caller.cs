using System.Text.RegularExpressions;
using Grpc.Core;

namespace Cirt.Server.Services;

/// <summary>
/// Who is calling, for attribution in timelines. Until API-key authentication lands, the caller
/// names itself in the "x-cirt-user" header (the console sends the local user name).
/// </summary>
public static partial class Caller
{
    public const string Header = "x-cirt-user";
    public const string Anonymous = "anonymous";

    public static string NameOf(ServerCallContext context)
    {
        var value = context.RequestHeaders.GetValue(Header);
        if (string.IsNullOrEmpty(value))
        {
            return Anonymous;
        }

        if (!NamePattern().IsMatch(value))
        {
            Violations.ThrowOne(Header, "must be 1 to 64 letters, digits or . _ @ - characters");
        }

        return value;
    }

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex NamePattern();
}
