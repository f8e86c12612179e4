using MisSend.Local;

namespace MisSend.TestSupport;

/// <summary>Paths inside the repository the tests run from.</summary>
public static class Repository
{
    public static string Root { get; } = Azurite.FindRepositoryRoot(AppContext.BaseDirectory);

    public static string Samples => Path.Combine(Root, "samples");

    public static string Sample(string name) => Path.Combine(Samples, name);
}
