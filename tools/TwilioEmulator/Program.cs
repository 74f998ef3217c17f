using SmsRemarketing.TwilioEmulator;

// Everything is wired in TwilioEmulatorApp so tests can host the same app in-process.
var app = TwilioEmulatorApp.Build(args);
app.Run();
