package chat; public class ChatServer { public static void main(String[] a){} }
