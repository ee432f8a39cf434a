Cirt.Server.CirtServer.Build(args).Run();
