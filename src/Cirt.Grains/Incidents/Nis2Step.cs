namespace Cirt.Grains.Incidents;

/// <summary>
/// What a NIS2 rule made of an incident's deadlines, and what the timeline should say about it
/// (<see cref="Note"/> is empty when there is nothing worth saying).
/// </summary>
public sealed record Nis2Step(Deadline[] Deadlines, string Note)
{
    /// <summary>This step's note and <paramref name="other"/>, joined for one timeline entry.</summary>
    public string NoteWith(string other) => (Note, other) switch
    {
        ("", _) => other,
        (_, "") => Note,
        _ => Note + "; " + other,
    };
}
