namespace MisSend.Cli;

/// <summary>What <c>detector</c> exits with. 64 and up follow BSD's sysexits.h, as many command-line tools do.</summary>
public static class ExitCodes
{
    public const int Pass = 0;

    /// <summary>A batch must halt.</summary>
    public const int Halt = 1;

    /// <summary>A file, an id or a setting is not valid input.</summary>
    public const int InvalidInput = 2;

    /// <summary>The command line itself is wrong: an unknown option, a missing argument, an empty value.</summary>
    public const int Usage = 64;

    /// <summary>Something the command needs is not there: storage, Azurite, a free port.</summary>
    public const int Unavailable = 69;

    /// <summary>Anything else that went wrong.</summary>
    public const int Internal = 70;
}
