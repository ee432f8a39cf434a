using System.Text;

namespace Cirt.Server.Security;

/// <summary>HTTP Basic credentials (RFC 7617): base64 of "user:password", UTF-8.</summary>
public static class BasicCredentials
{
    /// <summary>The user and password in <paramref name="encoded"/>; false when it is not base64 of text with a colon.</summary>
    public static bool TryRead(string encoded, out string user, out string password)
    {
        user = password = "";
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        (user, password) = (text[..colon], text[(colon + 1)..]);
        return true;
    }
}
