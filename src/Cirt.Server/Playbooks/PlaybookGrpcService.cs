using Cirt.Grains.Common;
using Cirt.Grains.Playbooks;
using Cirt.Grains.Taxonomy;
using Cirt.Server.Security;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Playbooks;

/// <summary>cirt.v1.PlaybookService: the response playbooks per RSIT class.</summary>
public sealed class PlaybookGrpcService(IGrainFactory grains, RsitTaxonomy taxonomy) : Proto.PlaybookService.PlaybookServiceBase
{
    private const int MaxDueWithinHours = 8760;

    public override async Task<Proto.ListPlaybooksResponse> ListPlaybooks(Proto.ListPlaybooksRequest request, ServerCallContext context)
    {
        var playbooks = await Task.WhenAll(taxonomy.Classes.Select(c => grains.GetGrain<IPlaybookGrain>(c.Name).GetAsync()));
        var response = new Proto.ListPlaybooksResponse();
        response.Playbooks.AddRange(playbooks.OfType<Playbook>().Select(ToProto));
        return response;
    }

    public override async Task<Proto.GetPlaybookResponse> GetPlaybook(Proto.GetPlaybookRequest request, ServerCallContext context)
    {
        RsitClass(request.RsitClass);
        var playbook = await grains.GetGrain<IPlaybookGrain>(request.RsitClass).GetAsync()
                       ?? RpcErrors.NotFound<Playbook>("Playbook", request.RsitClass);
        return new Proto.GetPlaybookResponse { Playbook = ToProto(playbook) };
    }

    public override async Task<Proto.SetPlaybookResponse> SetPlaybook(Proto.SetPlaybookRequest request, ServerCallContext context)
    {
        var v = new Violations();
        if (!taxonomy.IsClass(request.RsitClass))
        {
            v.Add("rsit_class", "is not an RSIT class");
        }

        v.MaxCount("steps", request.Steps, Limits.StepsPerPlaybook);
        for (var i = 0; i < Math.Min(request.Steps.Count, Limits.StepsPerPlaybook); i++)
        {
            var step = request.Steps[i];
            v.Required($"steps[{i}].title", step.Title, Limits.TitleLength);
            v.Enum($"steps[{i}].assignee", step.Assignee);
            if (step.DueWithinHours is < 1 or > MaxDueWithinHours)
            {
                v.Add($"steps[{i}].due_within_hours", $"must be 1 to {MaxDueWithinHours}");
            }
        }

        v.ThrowIfAny();
        var steps = request.Steps
            .Select(s => new PlaybookStep(s.Title.Trim(), (StepAssignee)(int)s.Assignee, TimeSpan.FromHours(s.DueWithinHours)))
            .ToArray();
        var playbook = await grains.GetGrain<IPlaybookGrain>(request.RsitClass).SetAsync(steps, request.ExpectedVersion, context.Principal().Actor);
        return new Proto.SetPlaybookResponse { Playbook = ToProto(playbook) };
    }

    private void RsitClass(string rsitClass)
    {
        if (!taxonomy.IsClass(rsitClass))
        {
            Violations.ThrowOne("rsit_class", "is not an RSIT class");
        }
    }

    private static Proto.Playbook ToProto(Playbook playbook)
    {
        var proto = new Proto.Playbook
        {
            RsitClass = playbook.RsitClass,
            Version = playbook.Version,
            UpdatedAt = CommonMapping.ToProto(playbook.UpdatedAt),
            UpdatedBy = playbook.UpdatedBy,
        };
        proto.Steps.AddRange(playbook.Steps.Select(s => new Proto.PlaybookStep
        {
            Title = s.Title,
            Assignee = (Proto.StepAssignee)(int)s.Assignee,
            DueWithinHours = (int)s.DueWithin.TotalHours,
        }));
        return proto;
    }
}
