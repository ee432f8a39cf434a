using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Makes a mutating request safe to send again: a request message with a string field named
/// <c>request_id</c> is given a fresh id when it has none, before its first attempt, so that every
/// retry carries the same id and the server applies the change once. Found by protobuf reflection,
/// so every message that has the field is covered, whatever its service.
/// </summary>
public static class RequestIds
{
    /// <summary>The field's name in every request that has one.</summary>
    public const string FieldName = "request_id";

    /// <summary>
    /// The request id <paramref name="request"/> carries, after giving it a new one (a UUID) when it
    /// was empty; null when the message has no request_id field.
    /// </summary>
    public static string? Ensure(object request)
    {
        if (request is not IMessage message
            || message.Descriptor.FindFieldByName(FieldName) is not { FieldType: FieldType.String, IsRepeated: false } field)
        {
            return null;
        }

        if (field.Accessor.GetValue(message) is string { Length: > 0 } existing)
        {
            return existing;
        }

        var fresh = Guid.NewGuid().ToString();
        field.Accessor.SetValue(message, fresh);
        return fresh;
    }
}
