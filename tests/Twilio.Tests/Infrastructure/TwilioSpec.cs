using System.Text.Json;

namespace SmsRemarketing.Twilio.Tests.Infrastructure;

/// <summary>Twilio's official OpenAPI file, from /work/shared or from shared/ beside any clone of the repository.</summary>
internal static class TwilioSpec
{
    private const string RelativePath = "shared/twilio/twilio_api_v2010.json";
    private const string WellKnownPath = "/work/shared/twilio/twilio_api_v2010.json";

    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(Locate())));

    public static JsonElement Root => Document.Value.RootElement;

    public static JsonElement Schema(string name) => Root.GetProperty("components").GetProperty("schemas").GetProperty(name);

    public static JsonElement Operation(string path, string method) => Root.GetProperty("paths").GetProperty(path).GetProperty(method);

    public static string Locate()
    {
        if (File.Exists(WellKnownPath))
        {
            return WellKnownPath;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Twilio's OpenAPI file was not found at {WellKnownPath} nor as {RelativePath} above {AppContext.BaseDirectory}.");
    }
}
