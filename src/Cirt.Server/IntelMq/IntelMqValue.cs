using System.Text.Json;

namespace Cirt.Server.IntelMq;

/// <summary>One value of an IntelMQ event: its JSON kind, and its text (a string as it is, anything else as compact JSON).</summary>
public readonly record struct IntelMqValue(JsonValueKind Kind, string Text)
{
    public bool IsString => Kind == JsonValueKind.String;
}
