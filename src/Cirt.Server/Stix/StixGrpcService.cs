using System.Text;
using Cirt.Grains.Advisories;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Cirt.Server.Advisories;
using Cirt.Server.Federation;
using Cirt.Server.Security;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Stix;

/// <summary>
/// cirt.v1.StixService: advisories and incidents as STIX 2.1 bundles for MISP, OpenCTI and TheHive
/// (<see cref="StixWriter"/>), and bundles from them as draft advisories (<see cref="StixReader"/>),
/// created exactly as <see cref="AdvisoryGrpcService.CreateAdvisory"/> creates any other.
/// </summary>
public sealed class StixGrpcService(IGrainFactory grains, IOptions<FederationOptions> federation, AdvisoryGrpcService advisories)
    : Proto.StixService.StixServiceBase
{
    /// <summary>The largest bundle read or written, in UTF-8 bytes.</summary>
    public const int MaxBundleBytes = 4 * 1024 * 1024;

    public override async Task<Proto.ExportAdvisoryResponse> ExportAdvisory(Proto.ExportAdvisoryRequest request, ServerCallContext context)
    {
        new Violations().Required("id", request.Id, Limits.IdLength).ThrowIfAny();
        var advisory = await grains.GetGrain<IAdvisoryGrain>(request.Id).GetAsync() ?? RpcErrors.NotFound<Advisory>("Advisory", request.Id);
        var payload = new Proto.FederatedPayload
        {
            Origin = Origin(advisory.Id, advisory.Version),
            Kind = Proto.SharedItemKind.Advisory,
            Action = Proto.OutboxAction.Publish,
            Advisory = SharedItems.Advisory(advisory),
        };
        return new Proto.ExportAdvisoryResponse { Bundle = Fitting(StixWriter.Write(payload, advisory.CreatedAt, advisory.UpdatedAt)) };
    }

    public override async Task<Proto.ExportIncidentResponse> ExportIncident(Proto.ExportIncidentRequest request, ServerCallContext context)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        v.ThrowIfAny();
        var incident = await grains.GetGrain<IIncidentGrain>(request.TrackingId).GetVisibleAsync(context.Principal());
        if (incident.Tlp == Tlp.Red)
        {
            RpcErrors.Throw(StatusCode.FailedPrecondition, $"Incident '{incident.TrackingId}' is TLP:RED: it leaves the CIRT in no form, STIX included.");
        }

        var payload = new Proto.FederatedPayload
        {
            Origin = Origin(incident.TrackingId, incident.Version),
            Kind = Proto.SharedItemKind.Incident,
            Action = Proto.OutboxAction.Publish,
            Incident = SharedItems.Incident(incident),
        };
        return new Proto.ExportIncidentResponse { Bundle = Fitting(StixWriter.Write(payload, incident.ReportedAt, incident.UpdatedAt)) };
    }

    public override async Task<Proto.ImportBundleResponse> ImportBundle(Proto.ImportBundleRequest request, ServerCallContext context)
    {
        var size = Encoding.UTF8.GetByteCount(request.Bundle);
        if (string.IsNullOrWhiteSpace(request.Bundle))
        {
            Violations.ThrowOne("bundle", "is required");
        }

        if (size > MaxBundleBytes)
        {
            Violations.ThrowOne("bundle", $"is {size} bytes long; the limit is {MaxBundleBytes}");
        }

        StixImport import;
        try
        {
            import = StixReader.Read(request.Bundle);
        }
        catch (StixBundleRejectedException e)
        {
            // Each violation names its object and rule; the field is the bundle they are in.
            throw Violations.ToException(e.Message, e.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = "bundle", Description = v.ToString() }));
        }

        var created = await advisories.CreateAdvisory(new Proto.CreateAdvisoryRequest { Content = ToProto(import.Content) }, context);
        var response = new Proto.ImportBundleResponse { Advisory = created.Advisory };
        response.Skipped.AddRange(import.Skipped);
        return response;
    }

    /// <summary>This instance as the origin of an item it exports.</summary>
    private Proto.ItemOrigin Origin(string itemId, long version) => new()
    {
        InstanceId = federation.Value.InstanceId,
        Country = federation.Value.Country,
        ItemId = itemId,
        ItemVersion = version,
        Route = { federation.Value.InstanceId },
    };

    private static string Fitting(string bundle)
    {
        var size = Encoding.UTF8.GetByteCount(bundle);
        if (size > MaxBundleBytes)
        {
            RpcErrors.Throw(StatusCode.ResourceExhausted, $"The STIX bundle is {size} bytes long, over the {MaxBundleBytes} an answer carries.");
        }

        return bundle;
    }

    private static Proto.AdvisoryContent ToProto(AdvisoryContent content)
    {
        var proto = new Proto.AdvisoryContent { Title = content.Title, Summary = content.Summary, Tlp = CommonMapping.ToProto(content.Tlp) };
        proto.AffectedProducts.AddRange(content.AffectedProducts);
        proto.Cves.AddRange(content.Cves.Select(c => new Proto.AffectedCve { CveId = c.CveId, CvssScore = c.CvssScore }));
        proto.Indicators.AddRange(content.Indicators.Select(CommonMapping.ToProto));
        proto.RecommendedActions.AddRange(content.RecommendedActions);
        return proto;
    }
}
