using System.Diagnostics.CodeAnalysis;
using Google.Rpc;
using Grpc.Core;

namespace Cirt.Server.Api;

/// <summary>
/// Collects every problem with a request, then refuses it at once with INVALID_ARGUMENT and a
/// google.rpc.BadRequest naming each offending field, so a client can show them all together.
/// </summary>
public sealed class Violations
{
    private const int MaxReported = 50;
    private const int MaxInMessage = 5;

    private readonly List<BadRequest.Types.FieldViolation> _items = [];

    public bool Any => _items.Count > 0;

    public Violations Add(string field, string description)
    {
        _items.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
        return this;
    }

    /// <summary>Requires a non-blank value of at most <paramref name="maxLength"/> characters.</summary>
    public Violations Required(string field, string value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "is required");
        }

        return MaxLength(field, value, maxLength);
    }

    public Violations MaxLength(string field, string value, int maxLength) =>
        value.Length > maxLength ? Add(field, $"is {value.Length} characters long; the limit is {maxLength}") : this;

    public Violations MaxCount<T>(string field, ICollection<T> values, int maxCount) =>
        values.Count > maxCount ? Add(field, $"has {values.Count} entries; the limit is {maxCount}") : this;

    /// <summary>Requires a defined, non-zero value of a proto enum.</summary>
    public Violations Enum<TEnum>(string field, TEnum value, bool required = true) where TEnum : struct, System.Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        if (number == 0)
        {
            return required ? Add(field, "is required") : this;
        }

        return System.Enum.IsDefined(value) ? this : Add(field, $"{number} is not a valid {typeof(TEnum).Name}");
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            Throw();
        }
    }

    [DoesNotReturn]
    public void Throw()
    {
        // Status details travel in HTTP/2 trailers, which clients cap (64 KiB by default): report
        // the first violations in full and count the rest.
        var reported = _items.Take(MaxReported).ToList();
        if (_items.Count > MaxReported)
        {
            reported.Add(new BadRequest.Types.FieldViolation
            {
                Field = "",
                Description = $"{_items.Count - MaxReported} more violation(s) not listed; fix these and send again",
            });
        }

        var summary = string.Join("; ", _items.Take(MaxInMessage).Select(v => $"{v.Field}: {v.Description}"))
                      + (_items.Count > MaxInMessage ? $"; and {_items.Count - MaxInMessage} more" : "");
        throw ToException($"Invalid request: {summary}", reported);
    }

    public static RpcException ToException(string message, IEnumerable<BadRequest.Types.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations);
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(badRequest) },
        }.ToRpcException();
    }

    [DoesNotReturn]
    public static void ThrowOne(string field, string description) => new Violations().Add(field, description).Throw();
}
