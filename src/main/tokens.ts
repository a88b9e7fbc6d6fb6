import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Clock } from '../application/ports/clock';
import type { AttendanceRepository } from '../application/ports/attendance-repository';
import type { CallNotifier } from '../application/ports/call-notifier';
import type { SignalRouter } from '../application/ports/signal-router';
import type { SocketIoCallNotifier } from '../adapters/realtime/socket-io-call-notifier';
import type { DatabaseHealth } from '../application/ports/database-health';
import type { IdGenerator } from '../application/ports/id-generator';
import type { LoginThrottle } from '../application/ports/login-throttle';
import type { MeetingHistoryRepository } from '../application/ports/meeting-history-repository';
import type { MeetingCodeGenerator } from '../application/ports/meeting-code-generator';
import type { MeetingRepository } from '../application/ports/meeting-repository';
import type { PasswordHasher } from '../application/ports/password-hasher';
import type { CallStore } from '../application/ports/call-store';
import type { SessionNotifier } from '../application/ports/session-notifier';
import type { SessionRepository } from '../application/ports/session-repository';
import type { TokenService } from '../application/ports/token-service';
import type { UserRepository } from '../application/ports/user-repository';
import type { AddHistory } from '../application/use-cases/add-history';
import type { Authenticate } from '../application/use-cases/authenticate';
import type { GetAttendance } from '../application/use-cases/get-attendance';
import type { GetCurrentUser } from '../application/use-cases/get-current-user';
import type { GetHistory } from '../application/use-cases/get-history';
import type { GetIceServers } from '../application/use-cases/get-ice-servers';
import type { CreateMeeting } from '../application/use-cases/create-meeting';
import type { GetMeeting } from '../application/use-cases/get-meeting';
import type { ListMyMeetings } from '../application/use-cases/list-my-meetings';
import type { JoinCall } from '../application/use-cases/join-call';
import type { AdmitParticipant, DenyParticipant } from '../application/use-cases/lobby';
import type { LeaveCall } from '../application/use-cases/leave-call';
import type { SweepDeadNodes } from '../application/use-cases/sweep-dead-nodes';
import type { SuspendParticipant } from '../application/use-cases/suspend-participant';
import type { SecretGenerator } from '../application/ports/secret-generator';
import type { EndCall, KickParticipant, LiftBan, MuteParticipant, SetCallOptions, TransferHost } from '../application/use-cases/host-actions';
import type { Login } from '../application/use-cases/login';
import type { Logout } from '../application/use-cases/logout';
import type { PostChat } from '../application/use-cases/post-chat';
import type { RegisterUser } from '../application/use-cases/register-user';
import type { RelaySignal } from '../application/use-cases/relay-signal';
import type { UpdateMediaState } from '../application/use-cases/update-media-state';
import type { RealtimeServer } from '../adapters/realtime/socket-server';
import type { OriginPolicy } from '../adapters/origin-policy';
import type { AppMetrics } from '../adapters/metrics/app-metrics';
import type { RealtimeUseCases } from '../adapters/realtime/realtime-gateway';
import type { LiveState } from './live-state';
import type { MediaServers } from './media-servers';
import type { MediaServerPool } from '../application/ports/media-server';
import type { AnnouncePublishing } from '../application/use-cases/announce-publishing';
import type { AnnounceSpeaking } from '../application/use-cases/announce-speaking';
import type { ChooseLayer } from '../application/use-cases/choose-layer';
import type { SendReaction } from '../application/use-cases/send-reaction';
import type { MediaServerLost } from '../application/use-cases/media-server-lost';
import type { PublishMedia } from '../application/use-cases/publish-media';
import type { StartSubscription } from '../application/use-cases/start-subscription';
import type { SubscribeMedia } from '../application/use-cases/subscribe-media';
import type { TrickleMedia } from '../application/use-cases/trickle-media';
import type { Persistence } from './persistence';

/** An injection token that carries the type of what it resolves to. */
export class Token<T> {
  // Phantom: Token<UserRepository> is not a Token<SessionRepository>.
  declare private readonly type: () => T;
  readonly key: symbol;

  constructor(readonly name: string) {
    this.key = Symbol(name);
  }
}

/** Every injection token of the composition root, in one place. */
export const TOKENS = {
  Clock: new Token<Clock>('Clock'),
  IdGenerator: new Token<IdGenerator>('IdGenerator'),
  Persistence: new Token<Persistence>('Persistence'),
  LiveState: new Token<LiveState>('LiveState'),
  MediaServers: new Token<MediaServers>('MediaServers'),
  MediaServerPool: new Token<MediaServerPool>('MediaServerPool'),
  PublishMedia: new Token<PublishMedia>('PublishMedia'),
  SubscribeMedia: new Token<SubscribeMedia>('SubscribeMedia'),
  StartSubscription: new Token<StartSubscription>('StartSubscription'),
  TrickleMedia: new Token<TrickleMedia>('TrickleMedia'),
  ChooseLayer: new Token<ChooseLayer>('ChooseLayer'),
  SendReaction: new Token<SendReaction>('SendReaction'),
  AnnouncePublishing: new Token<AnnouncePublishing>('AnnouncePublishing'),
  AnnounceSpeaking: new Token<AnnounceSpeaking>('AnnounceSpeaking'),
  MediaServerLost: new Token<MediaServerLost>('MediaServerLost'),
  UserRepository: new Token<UserRepository>('UserRepository'),
  SessionRepository: new Token<SessionRepository>('SessionRepository'),
  MeetingHistoryRepository: new Token<MeetingHistoryRepository>('MeetingHistoryRepository'),
  DatabaseHealth: new Token<DatabaseHealth>('DatabaseHealth'),
  PasswordHasher: new Token<PasswordHasher>('PasswordHasher'),
  TokenService: new Token<TokenService>('TokenService'),
  LoginThrottle: new Token<LoginThrottle>('LoginThrottle'),
  OriginPolicy: new Token<OriginPolicy>('OriginPolicy'),
  SocketServer: new Token<RealtimeServer>('SocketServer'),
  CallStore: new Token<CallStore>('CallStore'),
  SocketIoCallNotifier: new Token<SocketIoCallNotifier>('SocketIoCallNotifier'),
  CallNotifier: new Token<CallNotifier>('CallNotifier'),
  SignalRouter: new Token<SignalRouter>('SignalRouter'),
  SessionNotifier: new Token<SessionNotifier>('SessionNotifier'),
  RegisterUser: new Token<RegisterUser>('RegisterUser'),
  Login: new Token<Login>('Login'),
  Logout: new Token<Logout>('Logout'),
  Authenticate: new Token<Authenticate>('Authenticate'),
  GetCurrentUser: new Token<GetCurrentUser>('GetCurrentUser'),
  AddHistory: new Token<AddHistory>('AddHistory'),
  GetHistory: new Token<GetHistory>('GetHistory'),
  JoinCall: new Token<JoinCall>('JoinCall'),
  RelaySignal: new Token<RelaySignal>('RelaySignal'),
  PostChat: new Token<PostChat>('PostChat'),
  UpdateMediaState: new Token<UpdateMediaState>('UpdateMediaState'),
  LeaveCall: new Token<LeaveCall>('LeaveCall'),
  SweepDeadNodes: new Token<SweepDeadNodes>('SweepDeadNodes'),
  SuspendParticipant: new Token<SuspendParticipant>('SuspendParticipant'),
  SecretGenerator: new Token<SecretGenerator>('SecretGenerator'),
  KickParticipant: new Token<KickParticipant>('KickParticipant'),
  MuteParticipant: new Token<MuteParticipant>('MuteParticipant'),
  SetCallOptions: new Token<SetCallOptions>('SetCallOptions'),
  TransferHost: new Token<TransferHost>('TransferHost'),
  EndCall: new Token<EndCall>('EndCall'),
  LiftBan: new Token<LiftBan>('LiftBan'),
  AdmitParticipant: new Token<AdmitParticipant>('AdmitParticipant'),
  DenyParticipant: new Token<DenyParticipant>('DenyParticipant'),
  GetIceServers: new Token<GetIceServers>('GetIceServers'),
  AttendanceRepository: new Token<AttendanceRepository>('AttendanceRepository'),
  GetAttendance: new Token<GetAttendance>('GetAttendance'),
  IceServersLimiter: new Token<RateLimiterAbstract>('IceServersLimiter'),
  MeetingLookupLimiter: new Token<RateLimiterAbstract>('MeetingLookupLimiter'),
  MeetingRepository: new Token<MeetingRepository>('MeetingRepository'),
  MeetingCodeGenerator: new Token<MeetingCodeGenerator>('MeetingCodeGenerator'),
  CreateMeeting: new Token<CreateMeeting>('CreateMeeting'),
  GetMeeting: new Token<GetMeeting>('GetMeeting'),
  ListMyMeetings: new Token<ListMyMeetings>('ListMyMeetings'),
  Metrics: new Token<AppMetrics | null>('Metrics'),
  RealtimeUseCases: new Token<RealtimeUseCases>('RealtimeUseCases'),
} as const;
