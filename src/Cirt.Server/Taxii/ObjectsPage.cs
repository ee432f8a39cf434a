namespace Cirt.Server.Taxii;

/// <summary>What a page of a collection lists: the objects, their manifest, or one object's versions.</summary>
public enum ObjectsPage
{
    Objects,
    Manifest,
    Versions,
}
