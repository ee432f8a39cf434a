namespace Cirt.Server.Taxii;

/// <summary>A place in a collection's order (date added, then id, then version): what a <c>next</c> token resumes after.</summary>
public readonly record struct CollectionPosition(DateTimeOffset DateAdded, string Id, DateTimeOffset Version) : IComparable<CollectionPosition>
{
    public int CompareTo(CollectionPosition other)
    {
        var byDate = DateAdded.UtcTicks.CompareTo(other.DateAdded.UtcTicks);
        if (byDate != 0)
        {
            return byDate;
        }

        var byId = string.CompareOrdinal(Id, other.Id);
        return byId != 0 ? byId : Version.UtcTicks.CompareTo(other.Version.UtcTicks);
    }
}
