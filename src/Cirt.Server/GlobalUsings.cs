global using Cirt.Server.Api;
