using System.Globalization;
using Cirt.Grains.Taxonomy;
using Cirt.Server.Ingest;
using Cirt.Server.Storage;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.IntelMq;

/// <summary>
/// POST /v1/intelmq/events on the HTTP endpoint: IntelMQ events as IntelMQ's outputs write them (one
/// event, a JSON array of events, or newline-delimited JSON), mapped onto Cirt's events
/// (<see cref="IntelMqMapping"/>) and offered to the one ingest path (<see cref="EventIntake"/>) as one
/// batch, whole: the answer is 200 with the number of events accepted once they are on disk, or an
/// error naming each refused event and its IntelMQ key, and then nothing of the request was stored
/// (so a producer may correct and send the same request again). <see cref="IntelMqGate"/> has let
/// only callers who may publish through.
/// </summary>
public static class IntelMqEndpoint
{
    public const string Path = "/v1/intelmq/events";

    /// <summary>The largest body read; beyond, 413. IntelMQ's JSON is wordier than protobuf: four times gRPC's message limit.</summary>
    public const long MaxBodyBytes = 4L * Grains.Common.Limits.MaxMessageBytes;

    /// <summary>The longest Idempotency-Key header (it is also the batch id, echoed nowhere else).</summary>
    public const int MaxIdempotencyKey = 64;

    public static async Task<IResult> PostAsync(HttpContext http, EventIntake intake, RsitTaxonomy taxonomy, StorageHealth storage, ILoggerFactory loggers)
    {
        if (!TryFormat(http.Request.ContentType, out var newlineDelimited))
        {
            return IntelMqAnswer.Error(StatusCodes.Status415UnsupportedMediaType, "INVALID_ARGUMENT",
                $"Content-Type '{Grains.Common.Echo.Of(http.Request.ContentType ?? "")}' is not accepted: send application/json (one event or an array) or application/x-ndjson (one event a line), in UTF-8.");
        }

        string? idempotencyKey = null;
        if (http.Request.Headers.TryGetValue(IntelMqMapping.IdempotencyHeader, out var header))
        {
            idempotencyKey = header.ToString();
            if (idempotencyKey.Length is 0 or > MaxIdempotencyKey || !idempotencyKey.All(c => c is > ' ' and < (char)0x7f))
            {
                return IntelMqAnswer.Invalid(new IntelMqViolation(null, IntelMqMapping.IdempotencyHeader,
                    $"the {IntelMqMapping.IdempotencyHeader} header must be 1 to {MaxIdempotencyKey} visible ASCII characters"));
            }
        }

        var body = await ReadBodyAsync(http);
        if (body is null)
        {
            return IntelMqAnswer.Error(StatusCodes.Status413RequestEntityTooLarge, "RESOURCE_EXHAUSTED",
                $"The body is larger than {MaxBodyBytes} bytes: send fewer events per request.");
        }

        var (events, problem) = IntelMqBody.Read(body.Value, newlineDelimited, intake.MaxBatchEvents);
        if (problem is not null)
        {
            return IntelMqAnswer.Invalid(problem);
        }

        var mapped = new List<IntelMqMapped>(events!.Count);
        var problems = new List<IntelMqViolation>();
        foreach (var e in events)
        {
            var (one, wrong) = IntelMqMapping.Map(e, idempotencyKey, taxonomy);
            if (wrong is not null)
            {
                problems.Add(wrong);
            }
            else
            {
                mapped.Add(one!);
            }
        }

        if (problems.Count > 0)
        {
            return IntelMqAnswer.Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", Refused(problems, events.Count), problems);
        }

        var batch = new Proto.EventBatch { BatchId = idempotencyKey ?? "" };
        batch.Events.AddRange(mapped.Select(m => m.Event));
        IntakeResult result;
        try
        {
            result = await intake.AcceptAsync(batch, IntelMqGate.Caller(http), wholeBatch: true, http.RequestAborted);
        }
        catch (RpcException ex)
        {
            return IntelMqAnswer.Error(HttpStatusOf(ex.StatusCode), StatusName(ex.StatusCode), ex.Status.Detail);
        }
        catch (Exception ex) when (StorageFull.Is(ex))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(storage.RetryAfter.TotalSeconds));
            return IntelMqAnswer.Error(StatusCodes.Status507InsufficientStorage, "RESOURCE_EXHAUSTED",
                $"Storage on the server is full: nothing of this request was stored. Retry after {seconds} s; operators have been told.",
                headers: RetryAfter(seconds));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(IntelMqEndpoint)).LogError(ex, "Unexpected failure in {Route}", "POST " + Path);
            return IntelMqAnswer.Error(StatusCodes.Status500InternalServerError, "INTERNAL", "Internal error; it has been logged. Nothing of this request was acknowledged.");
        }

        if (result.Saturated)
        {
            return IntelMqAnswer.Error(StatusCodes.Status429TooManyRequests, "RESOURCE_EXHAUSTED",
                "Ingest is saturated: nothing of this request was stored; send it again in a moment.", headers: RetryAfter(1));
        }

        if (!result.RefusedWhole)
        {
            return IntelMqAnswer.Accepted(result.Ack.AcceptedCount);
        }

        var refused = result.Ack.Rejected.Select(r => new IntelMqViolation(r.Index, mapped[r.Index].KeyOf(r.Field), r.Reason)).ToList();
        var message = Refused(refused, events.Count);
        if (result.RejectedKinds.Contains(IntakeRefusalKind.Invalid))
        {
            return IntelMqAnswer.Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", message, refused);
        }

        if (result.RejectedKinds.Contains(IntakeRefusalKind.NotPermitted))
        {
            return IntelMqAnswer.Error(StatusCodes.Status403Forbidden, "PERMISSION_DENIED", message, refused);
        }

        // Only quotas: they are per clock minute, so the next minute has room again.
        var untilNextMinute = 60 - (int)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 60);
        return IntelMqAnswer.Error(StatusCodes.Status429TooManyRequests, "RESOURCE_EXHAUSTED", message, refused, RetryAfter(untilNextMinute));
    }

    /// <summary>Whether the content type is one this endpoint reads (JSON or newline-delimited JSON, in UTF-8), and which.</summary>
    public static bool TryFormat(string? contentType, out bool newlineDelimited)
    {
        newlineDelimited = false;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || (media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        newlineDelimited = media.MediaType.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
                           || media.MediaType.Equals("application/ndjson", StringComparison.OrdinalIgnoreCase);
        return newlineDelimited;
    }

    private static string Refused(IReadOnlyList<IntelMqViolation> refused, int events) =>
        $"Nothing of this request was stored: {refused.Count} of its {events} event(s) refused; {IntelMqAnswer.Describe(refused[0])}";

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static IReadOnlyDictionary<string, string> RetryAfter(int seconds) =>
        new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) };

    /// <summary>A gRPC status code as gRPC spells it: INVALID_ARGUMENT.</summary>
    private static string StatusName(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    /// <summary>The HTTP status a gRPC status code goes with (as gRPC's HTTP mapping has it).</summary>
    private static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
