using Cirt.Grains.Ingest;
using Cirt.Grains.Stakeholders;

namespace Cirt.Server.Ingest;

/// <summary>
/// The routing index, rebuilt from the stakeholder directory whenever a stakeholder changed, so
/// that constituency edits apply to the next events without a restart.
/// </summary>
public sealed class ConstituencyIndexProvider(IStakeholderDirectory directory, ILogger<ConstituencyIndexProvider> logger)
{
    private const int PageSize = 500;
    private ConstituencyIndex _index = new([]);
    private long _builtAt = -1;

    public async Task<ConstituencyIndex> CurrentAsync(CancellationToken cancellationToken)
    {
        var changes = directory.ChangeCount;
        if (changes == _builtAt)
        {
            return _index;
        }

        var stakeholders = new List<Stakeholder>();
        for (var offset = 0; ; offset += PageSize)
        {
            var (page, total) = await directory.ListAsync(null, offset, PageSize, cancellationToken);
            stakeholders.AddRange(page);
            if (offset + PageSize >= total)
            {
                break;
            }
        }

        _index = new ConstituencyIndex(stakeholders);
        _builtAt = changes;
        logger.LogInformation("Routing index rebuilt: {Stakeholders} stakeholders, {Prefixes} prefixes", stakeholders.Count, _index.PrefixCount);
        return _index;
    }
}
