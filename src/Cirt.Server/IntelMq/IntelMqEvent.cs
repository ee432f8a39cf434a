namespace Cirt.Server.IntelMq;

/// <summary>
/// One IntelMQ event as received, flattened to IntelMQ's dotted keys ("source.ip", "extra.status"),
/// whether it came flat or hierarchical, keys in ordinal order.
/// </summary>
/// <param name="Index">Its place among the request's events, from 0.</param>
/// <param name="Line">For newline-delimited JSON, the line it was on (from 1); 0 otherwise.</param>
/// <param name="Fields">Its keys and values; a key given null is absent.</param>
public sealed record IntelMqEvent(int Index, int Line, SortedDictionary<string, IntelMqValue> Fields)
{
    /// <summary>The string value of <paramref name="key"/>, or null when it is absent or not a string.</summary>
    public string? Text(string key) => Fields.TryGetValue(key, out var value) && value.IsString ? value.Text : null;
}
