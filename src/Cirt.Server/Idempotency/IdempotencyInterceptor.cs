using Cirt.Grains.Common;
using Cirt.Grains.Security;
using Cirt.Server.Api;
using Cirt.Server.Security;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Cirt.Server.Idempotency;

/// <summary>
/// Makes every unary call whose request carries a request_id safe to retry: the first call with a
/// key's request id runs, and its answer is recorded in the ledger (<see cref="IRequestLedger"/>) for
/// the idempotency window; a retry with the same id and the same request gets that answer and changes
/// nothing; the same id with a different request is refused with INVALID_ARGUMENT on request_id. A
/// duplicate arriving while the first call runs waits for it: in this process at the gate
/// (<see cref="RequestGate"/>), from another silo of a cluster through the ledger's claim
/// (<see cref="RequestAnswering"/>). Refused
/// calls are not recorded: they changed nothing, and a retry runs again. The call's grains also learn
/// the request (<see cref="CallerRequest"/>): an incident remembers it with its change, so a retry
/// after a crash between the change and the ledger's record still changes nothing twice. A secret
/// shown once (an issued API key) is never recorded (<see cref="ShownOnce"/>).
/// </summary>
public sealed class IdempotencyInterceptor(
    RequestGate gate,
    RequestAnswering answering,
    ILogger<IdempotencyInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is not IMessage message || RequestDigests.OwnIdempotency.Contains(context.Method)
            || RequestDigests.RequestIdOf(message) is not { Length: > 0 } requestId
            || context.GetHttpContext().Items[ApiKeyAuthenticationHandler.PrincipalItem] is not Principal principal)
        {
            return await continuation(request, context);
        }

        var shape = new Violations();
        FieldRules.RequestId(shape, RequestDigests.Field, requestId);
        shape.ThrowIfAny();

        var key = new RequestKey(principal.KeyId, context.Method, requestId);
        var digest = RequestDigests.Of(message);
        using (await gate.EnterAsync(key, context.CancellationToken))
        {
            var (first, answer) = await answering.AnswerOnceAsync(
                key,
                digest,
                async () =>
                {
                    CallerRequest.Set(RequestDigests.Remembered(key, digest));
                    try
                    {
                        return await continuation(request, context);
                    }
                    finally
                    {
                        CallerRequest.Clear();
                    }
                },
                response => ShownOnce.Withheld(context.Method, (IMessage)response).ToByteArray(),
                context.CancellationToken);
            if (answer is null)
            {
                return first!;
            }

            logger.LogDebug("Request {RequestId} of key {KeyId} to {Method} answered as first recorded at {RecordedAt:o}", requestId, key.KeyId, key.Method, answer.RecordedAt);
            var recorded = ((IMessage)Activator.CreateInstance<TResponse>()!).Descriptor.Parser.ParseFrom(answer.Response);
            ShownOnce.RefuseReplay(context.Method, recorded);
            return (TResponse)recorded;
        }
    }
}
