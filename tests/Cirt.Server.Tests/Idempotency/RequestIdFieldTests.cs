using Cirt.Server.Idempotency;
using Cirt.Server.Security;

namespace Cirt.Server.Tests.Idempotency;

/// <summary>The contract: every call that changes something takes a request_id, but for those with resend detection of their own.</summary>
public sealed class RequestIdFieldTests
{
    /// <summary>Changes without the ledger, each for a reason.</summary>
    private static readonly HashSet<string> Without =
    [
        // A partner's signed delivery carries its own message id and is taken once per id.
        "/cirt.v1.FederationService/Deliver",
    ];

    [Fact]
    public void EveryMutatingRequestHasAnOptionalRequestId()
    {
        var methods = Cirt.Server.Api.CirtApi.Files.SelectMany(f => f.Services).SelectMany(s => s.Methods)
            .Where(m => !m.IsClientStreaming && !m.IsServerStreaming)
            .Select(m => (Name: $"/{m.Service.FullName}/{m.Name}", m.InputType))
            .Where(m => (StorageQuotaRules.Counts(m.Name) || m.Name == "/cirt.v1.AdminService/Backup") && !Without.Contains(m.Name))
            .ToArray();

        Assert.Contains(methods, m => m.Name == "/cirt.v1.IncidentService/AddNote");
        var missing = methods.Where(m => m.InputType.FindFieldByName(RequestDigests.Field) is not { FieldType: Google.Protobuf.Reflection.FieldType.String }).Select(m => m.Name);
        Assert.Empty(missing);
    }
}
